"""The public migration policy database: published submissions, readable by anyone.

Server-rendered pages in English, French and Spanish (:mod:`.pages`), a read-only JSON API
(:mod:`.api`), both over the same read functions (:mod:`.service`) and the full-text index
(:mod:`idm_desktop.server.search`) that publishing keeps up to date. Only submissions whose status is
``published`` are ever shown; anything else answers exactly like an id that never existed.

A face of the service beside the protocol routes (:mod:`idm_desktop.server.api`): neither imports
the other. :func:`idm_desktop.server.public.mount.install` adds the routes to the app.
"""
