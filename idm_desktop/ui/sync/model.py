"""The Sync view's lists as Qt models: the outbox, and the submissions with conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import NotFoundError
from idm_desktop.core.i18n import _, ui_language
from idm_desktop.core.merge import TITLE_KEY
from idm_desktop.core.templates import Template
from idm_desktop.ui.formatting import TABLE_BACKGROUND, Tone, format_number, tone_color
from idm_desktop.ui.rows_model import RowsModel

if TYPE_CHECKING:
    from idm_desktop.core.sync import OutboxItem

ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class ConflictGroup:
    """One submission with sections edited differently here and on the server."""

    submission_id: str
    title: str
    sections: tuple[str, ...]  # the sections' names in the UI language


@dataclass(frozen=True, slots=True)
class SyncPage:
    """What the Sync view lists, read off the GUI thread in one go."""

    outbox: tuple[OutboxItem, ...]
    conflicts: tuple[ConflictGroup, ...]
    unqueued: int  # submissions with saved edits that the next sync puts in the outbox


def section_name(template: Template | None, key: str, lang: str) -> str:
    """A conflicting section's name as the editor shows it ("the title" for the title)."""
    if key == TITLE_KEY:
        return _("Title")
    section = template.section(key) if template is not None else None
    return section.title_in(lang) if section is not None else key


def load_sync_page(app: DesktopApp) -> SyncPage:
    """The outbox and the conflicts (reads the sync status, and with it the keyring)."""
    lang = ui_language()
    groups: dict[str, list[str]] = {}
    for conflict in app.sync.conflicts():
        groups.setdefault(conflict.submission_id, []).append(conflict.key)
    conflicts = []
    for sid, keys in groups.items():
        try:
            sub = app.submission(sid)
            template: Template | None = app.template_of(sub)
            title = sub.title
        except NotFoundError:
            template, title = None, sid
        conflicts.append(ConflictGroup(sid, title, tuple(section_name(template, k, lang) for k in keys)))
    outbox = tuple(app.sync.outbox())
    waiting = app.sync.status().summary.waiting  # unsent edits, and ops not refused
    # A submission with conflicts waits for the user, not for the next sync: it is listed above.
    unqueued = max(0, waiting - sum(1 for item in outbox if not item.failed) - len(conflicts))
    return SyncPage(outbox=outbox, conflicts=tuple(conflicts), unqueued=unqueued)


class OutboxModel(RowsModel):
    """What waits to be sent: the submission, save or submit, sent yet, attempts, the error."""

    COLUMNS = ("title", "kind", "sent", "attempts", "error")

    def header_labels(self) -> tuple[str, ...]:
        return (_("Submission"), _("Change"), _("Sent"), _("Attempts"), _("Problem"))

    def cell(self, row: int, column: str, role: int) -> Any:
        item: OutboxItem = self.row_at(row)
        if role == ID_ROLE:
            return item.submission_id
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.failed and column in ("sent", "error"):
                return tone_color(Tone.ERROR, TABLE_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "attempts":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and column == "error":
            return item.reason or None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if column == "title":
            return item.title or _("(untitled)")
        if column == "kind":
            kinds = {"submit": _("Submit"), "withdraw": _("Withdraw"), "review": _("Review")}
            return kinds.get(item.kind, _("Save"))
        if column == "sent":
            if item.failed:
                return _("Refused")
            return _("Sent, no answer yet") if item.sent else _("Not yet")
        if column == "attempts":
            return format_number(item.attempts)
        return item.reason


class ConflictsModel(RowsModel):
    """Submissions whose conflicting sections wait for the user."""

    COLUMNS = ("title", "sections")

    def header_labels(self) -> tuple[str, ...]:
        return (_("Submission"), _("Conflicting sections"))

    def cell(self, row: int, column: str, role: int) -> Any:
        group: ConflictGroup = self.row_at(row)
        if role == ID_ROLE:
            return group.submission_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                        Qt.ItemDataRole.ToolTipRole):
            return None
        if column == "title":
            return group.title or _("(untitled)")
        return "; ".join(group.sections)
