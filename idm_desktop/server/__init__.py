"""``idm-server``: the secretariat's service the desktop syncs with (DESIGN §5, §8).

FastAPI over SQLAlchemy 2 (SQLite by default, PostgreSQL in production). It imports the
core, the wire schemas of :mod:`idm_desktop.protocol`, ingest (to read published documents)
and export (to print published submissions) -- never the desktop's storage, sync or UI.
"""
