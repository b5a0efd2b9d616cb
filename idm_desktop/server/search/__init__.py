"""The full-text search of the public policy database, a service shared by the service's faces:
:mod:`.text` (folding, stemming, queries, snippets) and :mod:`.index` (the index that publishing
keeps up to date and the public pages and API read)."""
