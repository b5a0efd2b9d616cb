"""reviews: the service's review (clearance, comments) of each submission, as last pulled (DESIGN §13)

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('reviews',
    sa.Column('submission_id', sa.String(), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('submission_id', name=op.f('pk_reviews'))
    )


def downgrade() -> None:
    op.drop_table('reviews')
