"""readable history: a name given to a version, and the version a restore came from

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('submission_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('restored_from', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('submission_history', schema=None) as batch_op:
        batch_op.drop_column('restored_from')
        batch_op.drop_column('name')
