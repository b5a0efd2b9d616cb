"""desk: the secretariat's note on a submission returned for correction, and its notices (DESIGN §14)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_note', sa.String(), nullable=True))
    op.create_table('notices',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.String(), nullable=True),
    sa.Column('text', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )


def downgrade() -> None:
    op.drop_table('notices')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('return_note')
