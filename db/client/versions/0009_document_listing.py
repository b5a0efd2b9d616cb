"""document listing: a covering index for the library's list

The list (``docs list``, the Library view) reads every document's facts in (workshop, symbol)
order; the date of import and ``supersedes`` come after the document's text in the table, so each
row read walked the text's overflow pages. An index holding the list's columns, in its order,
answers it alone. It replaces the (workshop_id, symbol) index, its prefix.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op


revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# As storage.models.LISTING_COLUMNS was when this migration was written.
COLUMNS = ['workshop_id', 'symbol', 'pk', 'id', 'title', 'kind', 'language', 'original_language',
           'languages_available', 'date', 'sha256', 'size', 'mime', 'filename', 'page_count',
           'imported_at', 'supersedes', 'origin', 'rev']


# Plain index statements, not a batch: the table (and the full-text index over it) stays as it is.
def upgrade() -> None:
    op.create_index('ix_documents_listing', 'documents', COLUMNS, unique=False)
    op.drop_index('ix_documents_workshop_symbol', table_name='documents')


def downgrade() -> None:
    op.create_index('ix_documents_workshop_symbol', 'documents', ['workshop_id', 'symbol'], unique=False)
    op.drop_index('ix_documents_listing', table_name='documents')
