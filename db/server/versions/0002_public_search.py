"""full-text index of published submissions (the public policy database)

SQLite: an FTS5 table. PostgreSQL: a tsvector column with a GIN index (no extension needed:
accents are folded in Python before the text is indexed, see idm_desktop.server.public.text).
Submissions published before this revision are indexed here. Three indexes on submissions let the
public pages list, count and search published submissions without reading their bodies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE public_fts USING fts5("
            "submission_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.create_table(
            'public_fts',
            sa.Column('submission_id', sa.String(length=36), nullable=False),
            sa.Column('document', postgresql.TSVECTOR(), nullable=False),
            sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                    name=op.f('fk_public_fts_submission_id_submissions'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('submission_id', name=op.f('pk_public_fts')),
        )
        op.create_index('ix_public_fts_document', 'public_fts', ['document'], postgresql_using='gin')

    # Lists and counts of published submissions read these indexes alone, not the bodies.
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_public_list', ['status', 'received_at', 'receipt_no'],
                              unique=False)
        batch_op.create_index('ix_submissions_public_facets', ['status', 'workshop_id', 'delegation',
                                                               'language'], unique=False)
        batch_op.create_index('ix_submissions_public_search', ['id', 'status', 'received_at', 'workshop_id',
                                                               'delegation', 'language'], unique=False)

    from idm_desktop.server.search.index import rebuild

    rebuild(bind)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('public_fts')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_public_search')
        batch_op.drop_index('ix_submissions_public_facets')
        batch_op.drop_index('ix_submissions_public_list')
