"""``idm-server``: the secretariat's service the desktop syncs with (DESIGN §5, §8).

FastAPI over SQLAlchemy 2 (SQLite by default, PostgreSQL in production). It imports the
core, the wire schemas of :mod:`idm_desktop.protocol`, ingest (to read published documents)
and export (to print published submissions) -- never the desktop's storage, sync or UI.

Two faces over shared services: :mod:`.api` (the routes of protocol v1 and the secretariat's
publishing routes) and :mod:`.public` (the public policy database); neither imports the other.
The services (accounts, feed, pushes, publishing, catalog, search) raise the errors of
:mod:`.errors` in their own words; ``create_app`` (:mod:`.app`) turns them into HTTP answers.
"""
