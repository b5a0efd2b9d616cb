"""The meta table: named values of the library."""

from __future__ import annotations

from idm_desktop.storage import meta
from idm_desktop.storage.database import Database


def test_a_value_is_stored_replaced_and_forgotten(db: Database) -> None:
    with db.session() as s:
        assert meta.get_meta(s, "sync.server") is None
        meta.set_meta(s, "sync.server", "https://a.example")
    with db.session() as s:
        assert meta.get_meta(s, "sync.server") == "https://a.example"
        meta.set_meta(s, "sync.server", "https://b.example")
    with db.session() as s:
        assert meta.get_meta(s, "sync.server") == "https://b.example"
        meta.delete_meta(s, "sync.server")
        meta.delete_meta(s, "never.there")  # forgetting what is not there is no error
    with db.session() as s:
        assert meta.get_meta(s, "sync.server") is None
