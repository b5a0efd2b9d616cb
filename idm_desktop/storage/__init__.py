"""The local library: SQLAlchemy on one SQLite file, a blob folder, full-text search.

Repositories take the caller's Session and offer public functions for every write another module
needs (a private helper is never imported across modules): catalog, documents, submissions
(``record_version``, ``index_submission``), search, meta; sync's local side by topic: snapshots,
pulled, conflicts, outbox, sync_state.
"""
