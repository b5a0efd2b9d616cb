"""The local library: SQLAlchemy on one SQLite file, a blob folder, full-text search."""
