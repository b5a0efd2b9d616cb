"""IDM Delegate Desktop: draft, check, export and sync policy submissions offline."""

__version__ = "0.1.0"
