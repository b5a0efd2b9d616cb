"""Notices from the desk reach the desktop by sync, in the reader's language, and stay until read;
a notice withdrawn on the desk leaves the desktop at the next sync."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_desk_to_desktop import delegate
from tests.server.conftest import Service
from tests.server.desk.helpers import desk_session

__all__ = ["delegate"]
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_notices_reach_the_desktop_until_read(service: Service, delegate) -> None:  # type: ignore[no-untyped-def]
    desk = desk_session(service)
    posted = desk.post("/en/desk/notices", text_en="The deadline moved to 3 July.",
                       text_fr="La date limite est reportée au 3 juillet.",
                       text_es="El plazo se aplaza al 3 de julio.", workshop="idm2006-integration")
    assert posted.status_code == 303
    assert desk.post("/en/desk/notices", text_en="A new template is available.").status_code == 303
    assert desk.post("/en/desk/notices", text_fr="Sans anglais").status_code == 400  # English at least
    assert "notice.post" in desk.get("/en/desk/audit").text

    code, out, err = delegate("sync")
    assert code == 0, err
    code, out, _ = delegate("notices", "list", "--json")
    found = json.loads(out)["notices"]
    assert [n["text"]["en"] for n in found] == ["A new template is available.",
                                                "The deadline moved to 3 July."]
    assert found[1]["workshop_id"] == "idm2006-integration"
    code, out, _ = delegate("--lang", "fr", "notices", "list")
    assert "La date limite est reportée au 3 juillet." in out
    assert "A new template is available." in out  # English where there is no French

    code, out, _ = delegate("notices", "read", found[1]["id"][:8])
    assert code == 0
    code, out, _ = delegate("notices", "list", "--json")
    assert [n["id"] for n in json.loads(out)["notices"]] == [found[0]["id"]]
    code, out, _ = delegate("notices", "list", "--all", "--json")
    read = {n["id"]: n["read"] for n in json.loads(out)["notices"]}
    assert read == {found[0]["id"]: False, found[1]["id"]: True}
    code, _, err = delegate("notices", "read", "zz")
    assert code == 1
    assert "4 characters" in err

    # Withdrawn on the desk: gone from the desktop after a sync; a read one stays read when re-sent.
    page = desk.get("/en/desk/notices").text
    assert "A new template is available." in page
    assert desk.post(f"/en/desk/notices/{found[0]['id']}/withdraw", confirm="1").status_code == 303
    assert delegate("sync")[0] == 0
    code, out, _ = delegate("notices", "list", "--all", "--json")
    assert [n["id"] for n in json.loads(out)["notices"]] == [found[1]["id"]]
