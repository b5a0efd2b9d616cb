"""The Sync feature: background sync, the status bar's state, the Sync view, sign-in, the resolver."""
