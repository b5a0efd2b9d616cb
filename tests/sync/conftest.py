"""Sync tests run against a real idm-server over a socket (the server tests' fixtures)."""

from tests.server.conftest import db_url, server_settings, service

__all__ = ["db_url", "server_settings", "service"]
