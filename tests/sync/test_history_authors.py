"""Who wrote each version, the same on every machine (DESIGN §13): a version carries the account's
user name, not the computer's login, and a version pulled from the service names the person who
saved it there, not the person who pulled it."""

from __future__ import annotations

import getpass
from pathlib import Path

from idm_desktop.app import DesktopApp
from idm_desktop.core.submissions import SaveReason
from idm_desktop.server import accounts
from tests.server.conftest import PASSWORD, Service

CONTEXT = "Mexico offers language courses in every city of the country."


def test_versions_name_the_account_on_every_machine(service: Service, tmp_path: Path) -> None:
    with service.ctx.db.write() as session:
        accounts.add_user(session, "ana", PASSWORD, ["drafter"], "MEX")
        accounts.add_user(session, "rita", PASSWORD, ["reviewer"], "MEX")
    login = getpass.getuser()
    assert login not in ("ana", "rita")
    ana, rita = DesktopApp.open(tmp_path / "ana"), DesktopApp.open(tmp_path / "rita")
    try:
        # Written before signing in: the computer's login, shown under the account once signed in.
        sub = ana.new_submission("idm2006-integration", "MEX", "en", "Integration")
        assert [h.author for h in ana.history(sub.id)] == [login]
        ana.sync.login(service.url, "ana", PASSWORD, device_name="ana")
        ana.edit(sub.id, {"national_context": CONTEXT})
        assert [h.author for h in ana.history(sub.id)] == ["ana", "ana"]
        ana.sync.run()

        rita.sync.login(service.url, "rita", PASSWORD, device_name="rita")
        rita.sync.run()
        pulled = rita.history(sub.id)
        assert [(h.author, h.reason) for h in pulled] == [("ana", SaveReason.SYNC)]
        assert rita.clearance.add_comment(sub.id, "national_context", "language courses", "Free?")
        rita.sync.run()
        ana.sync.run()
        assert {h.author for h in ana.history(sub.id)} == {"ana"}
    finally:
        ana.close()
        rita.close()
