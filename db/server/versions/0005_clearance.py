"""clearance: users hold several roles, delegations have a clearance policy, submissions a review (DESIGN §13)

Every existing user keeps the one role they had (roles = role).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roles', sa.String(length=100), nullable=False, server_default=''))
    op.execute("UPDATE users SET roles = role")
    op.create_table('delegations',
    sa.Column('iso3', sa.String(length=3), nullable=False),
    sa.Column('clearance', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('iso3', name=op.f('pk_delegations'))
    )
    op.create_table('reviews',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('delegation', sa.String(length=3), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['submissions.id'], name=op.f('fk_reviews_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_delegation'), ['delegation'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_delegation'))
    op.drop_table('reviews')
    op.drop_table('delegations')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('roles')
