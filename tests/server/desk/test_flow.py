"""The desk's work over HTTP: the board by standing, the queue, publish (it shows on the public
site), unpublish with a reason, return for correction (the delegation sees the note in its
changes) and the correction back in the queue, linked to what it corrects."""

from __future__ import annotations

import datetime as dt
import re

from idm_desktop.core.formatting import long_date
from idm_desktop.server import publishing
from idm_desktop.server.board import GENEVA
from tests.server.conftest import Service
from tests.server.desk.helpers import desk_session
from tests.server.public import factory
from tests.server.public.flow import make

INTEGRATION = "idm2006-integration"  # deadline 26 June 2006, end of day in Geneva


def test_board_counts_each_standing_and_its_csv(service: Service) -> None:
    db = service.ctx.db
    desk = desk_session(service)
    for code in ("MEX", "FRA", "GBR", "MAR", "DEU", "ITA"):
        assert desk.post("/en/desk/delegations", iso3=code).status_code == 303
    on_time = dt.datetime(2006, 6, 26, 21, 0, tzinfo=dt.UTC)  # 23:00 in Geneva: still in time
    late = dt.datetime(2006, 6, 26, 22, 30, tzinfo=dt.UTC)  # 00:30 on the 27th in Geneva
    factory.receive(db, country="MEX", language="es", title="A tiempo", body={"a": "b"}, received_at=on_time)
    factory.receive(db, country="FRA", language="fr", title="En retard", body={"a": "b"}, received_at=late)
    factory.publish(db, country="GBR", language="en", title="Published", body={"a": "b"}, received_at=on_time)
    returned = factory.receive(db, country="MAR", language="fr", title="À corriger", body={"a": "b"},
                               received_at=on_time)
    publishing.return_submission(db, returned, "Please add the partnerships section.")
    # DEU sent, was returned, and sent its correction: the correction counts.
    old = factory.receive(db, country="DEU", language="en", title="First", body={"a": "b"},
                          received_at=on_time)
    publishing.return_submission(db, old, "Missing figures.")
    factory.receive(db, country="DEU", language="en", title="Corrected", body={"a": "c"}, received_at=late,
                    supersedes=old)

    page = desk.get(f"/en/desk/board/{INTEGRATION}").text
    assert "26 June 2006, 23:59 Geneva time (CEST)" in page  # the deadline, with its zone
    assert "27 June 2006, 00:30 Geneva time (CEST)" in page  # the late receipt likewise
    french_board = desk.get(f"/fr/desk/board/{INTEGRATION}").text
    assert "26 juin 2006, 23\u00a0h\u00a059 heure de Genève (CEST)" in french_board  # "17 h 00"
    assert "26 de junio de 2006, 23:59 hora de Ginebra (CEST)" in desk.get(
        f"/es/desk/board/{INTEGRATION}").text
    csv = desk.get(f"/en/desk/board/{INTEGRATION}.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "iso3,Delegation,status_code,Status,Receipt number,Received (Geneva time)"
    rows = {line.split(",")[0]: line.split(",")[2] for line in lines[1:]}
    # ISO 8601 to the second, with the offset of Geneva's clock that day; no microseconds.
    french_row = [line.split(",")[-1] for line in lines[1:] if line.startswith("FRA")]
    assert french_row == ["2006-06-27T00:30:00+02:00"]
    assert rows == {"DEU": "late", "FRA": "late", "GBR": "published", "ITA": "none", "MAR": "returned",
                    "MEX": "on_time"}
    home = desk.get("/en/desk/").text
    assert "Migrants and the Host Society" in home
    french = desk.get(f"/fr/desk/board/{INTEGRATION}.csv").text
    assert "Reçue en retard" in french
    # The queue and the submission's page say it came late, and how late.
    row = next(r for r in desk.get("/en/desk/queue").text.split("<tr>") if "En retard" in r)
    assert "late: 30\u00a0minutes after the deadline" in row  # 00:30 against 23:59:59
    assert "A tiempo" not in row
    on_time_row = next(r for r in desk.get("/en/desk/queue").text.split("<tr>") if "A tiempo" in r)
    assert "late" not in on_time_row
    late_receipt = re.search(r"submissions/([^\"]+)\">", row).group(1)  # type: ignore[union-attr]
    assert "en retard\u00a0: 30\u00a0minutes après la date limite" in desk.get(
        f"/fr/desk/submissions/{late_receipt}").text


def test_open_publish_unpublish_return_and_correction(service: Service) -> None:
    ana = service.account("ana", "drafter", "MEX")
    sent = make(service, ana, title="Integration in Mexico",
                sections={"national_context": "Mexico is a country of **origin**, transit and destination."})
    desk = desk_session(service)
    receipt = sent.receipt_no or ""
    queue = desk.get("/en/desk/queue").text
    assert receipt in queue
    assert "Integration in Mexico" in queue

    opened = desk.get(f"/en/desk/submissions/{receipt}").text
    assert "<strong>origin</strong>" in opened  # drawn as the public page draws it
    assert "Policy overview for the migration policy database – version 1" in opened  # as on the events page
    assert "idm-policy-overview" not in opened
    assert "politiques migratoires – version 1" in desk.get(f"/fr/desk/submissions/{receipt}").text
    with service.ctx.db.read() as session:
        from idm_desktop.server.models import Submission

        sha = session.get(Submission, sent.id).content_sha256  # type: ignore[union-attr]
    assert sha in opened
    pdf = desk.get(f"/en/desk/submissions/{receipt}.pdf")
    assert pdf.content.startswith(b"%PDF")

    public = service.client()
    assert public.get(f"/en/submissions/{receipt}").status_code == 404
    assert desk.post(f"/en/desk/submissions/{receipt}/publish", confirm="1").status_code == 303
    assert public.get(f"/en/submissions/{receipt}").status_code == 200
    assert "Published: it is now in the public policy database." in desk.get(
        f"/en/desk/submissions/{receipt}?done=publish").text

    empty = desk.post(f"/en/desk/submissions/{receipt}/unpublish", text="  ")
    assert empty.status_code == 400
    assert "Write the reason: it is kept with the submission" in empty.text
    assert "--reason" not in empty.text  # the desk's words, not the command line's
    french = desk.post(f"/fr/desk/submissions/{receipt}/unpublish", text="")
    assert "Indiquez la raison\u00a0: elle est conservée" in french.text
    assert desk.post(f"/en/desk/submissions/{receipt}/unpublish", text="Sent by mistake",
                     confirm="1").status_code == 303
    assert public.get(f"/en/submissions/{receipt}").status_code == 404
    assert "Sent by mistake" in desk.get(f"/en/desk/submissions/{receipt}").text
    # It no longer looks never published: its page, the queue and the question before publishing
    # again say when it was taken out, and why.
    today = long_date(dt.datetime.now(GENEVA).date(), "en")
    assert f"Unpublished on {today}, " in desk.get(f"/en/desk/submissions/{receipt}").text
    row = next(r for r in desk.get("/en/desk/queue").text.split("<tr>") if receipt in r)
    assert "Unpublished on" in row
    assert "Sent by mistake" in row
    asked = desk.post(f"/fr/desk/submissions/{receipt}/publish").text
    assert "Retirée de la publication le" in asked
    assert "Sent by mistake" in asked

    asked = desk.post(f"/en/desk/submissions/{receipt}/return", text="Please add your partnerships.")
    assert "Return this policy overview for correction?" in asked.text  # asked first
    assert desk.post(f"/en/desk/submissions/{receipt}/return", text="Please add your partnerships.",
                     confirm="1").status_code == 303
    # The delegation's desktops learn it from the changes feed.
    changes = service.client(headers=ana.headers).get("/api/v1/changes").json()["changes"]
    mine = next(c for c in changes if c["id"] == sent.id)
    assert mine["data"]["status"] == "returned"
    assert mine["data"]["return_note"] == "Please add your partnerships."
    # A returned one cannot be published; its correction comes back into the queue, linked.
    assert desk.post(f"/en/desk/submissions/{receipt}/publish", confirm="1").status_code == 400
    fixed = make(service, ana, title="Integration in Mexico (corrected)",
                 sections={"national_context": "Mexico.", "partnerships": "With business."},
                 supersedes=sent.id)
    queue = desk.get("/en/desk/queue").text
    assert fixed.receipt_no in queue
    assert f'href="/en/desk/submissions/{receipt}"' in queue
    assert receipt not in desk.get("/en/desk/queue").text.split("<tbody>")[1].split(fixed.receipt_no)[0]
    opened = desk.get(f"/en/desk/submissions/{receipt}").text
    assert fixed.receipt_no in opened  # "Replaced by"
    assert "Submissions returned for correction" in desk.get("/en/desk/queue?show=returned").text
    # Once its correction came, the returned version leaves the list of returned ones; the list of
    # everything keeps both, each linked to the other.
    returned = desk.get("/en/desk/queue?show=returned").text
    assert receipt not in returned
    assert "Nothing here." in returned
    everything = desk.get("/en/desk/queue?show=all").text
    assert f'replaced by <a href="/en/desk/submissions/{fixed.receipt_no}"' in everything
    # The queue says each one's workshop and status, and filters by workshop.
    row = next(r for r in queue.split("<tr>") if fixed.receipt_no in r)
    assert "Migrants and the Host Society: Partnerships for Success (2006)" in row
    assert "Received (not yet published)" in row
    assert fixed.receipt_no in desk.get("/en/desk/queue?workshop=idm2006-integration").text
    assert fixed.receipt_no in desk.get("/en/desk/queue?workshop=no-such-event").text  # ignored: all
    assert "Recibida (aún no publicada)" in desk.get("/es/desk/queue").text
