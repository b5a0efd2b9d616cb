"""suggestion history: who suggested the words of a version a drafter accepted

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('submission_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suggested_by', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('submission_history', schema=None) as batch_op:
        batch_op.drop_column('suggested_by')
