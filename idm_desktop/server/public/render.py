"""A section's Markdown subset as HTML: the service's shared renderer (server/htmltext.py)."""

from __future__ import annotations

from idm_desktop.server.htmltext import blocks_html, highlighted, safe_href

__all__ = ["blocks_html", "highlighted", "safe_href"]
