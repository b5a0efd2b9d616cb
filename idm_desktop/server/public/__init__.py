"""The public migration policy database: published submissions, readable by anyone.

Server-rendered pages in English, French and Spanish (:mod:`.pages`), a read-only JSON API
(:mod:`.api`), both over the same read functions (:mod:`.service`) and the full-text index
(:mod:`.index`) that publishing keeps up to date. Only submissions whose status is
``published`` are ever shown; anything else answers exactly like an id that never existed.

Kept free of web imports at package level: :mod:`idm_desktop.server.publishing` imports
:mod:`.index`. :func:`idm_desktop.server.public.mount.install` adds the routes to the app.
"""
