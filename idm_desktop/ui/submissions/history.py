"""The history of a submission: every saved version, what changed since, and restore."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.history import HistoryGroup, describe, group_history
from idm_desktop.core.i18n import _, plural
from idm_desktop.core.submissions import HistoryEntry
from idm_desktop.core.templates import Template
from idm_desktop.core.text import word_count
from idm_desktop.export.markup import Block, Para, inline_text, parse
from idm_desktop.ui.formatting import (
    Tone,
    banner_colors,
    format_datetime,
    format_number,
    format_time,
)
from idm_desktop.ui.rows_model import RowsModel

_Index = QModelIndex | QPersistentModelIndex
_TOKENS = re.compile(r"\s+|[^\s]+")


def deleted_style() -> str:
    """Inline style of text only in the old version: struck through on a wash of red (from the
    palette: readable in light, dark and high-contrast themes)."""
    background, _border, text = banner_colors(Tone.ERROR, role=QPalette.ColorRole.Base)
    return f"background-color:{background.name()};color:{text.name()};text-decoration:line-through;"


def inserted_style() -> str:
    """Inline style of text added since: on a wash of green."""
    background, _border, text = banner_colors(Tone.SUCCESS, role=QPalette.ColorRole.Base)
    return f"background-color:{background.name()};color:{text.name()};"


@dataclass(frozen=True, slots=True)
class Version:
    """One saved version and its number of words."""

    entry: HistoryEntry
    words: int


def load_versions(app: DesktopApp, sid: str) -> list[Version]:
    """The history of ``sid`` with word counts, oldest first. Runs on the storage lane."""
    return [Version(e, sum(word_count(t) for t in e.body.values())) for e in app.history(sid)]


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the table: a version, or an editing session's autosaves."""

    group: HistoryGroup
    words: int  # of the latest version


class HistoryModel(RowsModel):
    """The readable history, the newest first: editing sessions as one row each, or (with
    ``every_save``) every version."""

    COLUMNS = ("version", "saved", "what", "author", "words")

    def __init__(self, versions: Sequence[Version], every_save: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, self.rows_of(versions, every_save))

    @staticmethod
    def rows_of(versions: Sequence[Version], every_save: bool) -> list[Row]:
        words = {v.entry.seq: v.words for v in versions}
        entries = [v.entry for v in sorted(versions, key=lambda v: v.entry.seq)]
        groups = ([HistoryGroup((e,)) for e in entries] if every_save
                  else group_history(entries))
        return [Row(g, words[g.latest.seq]) for g in reversed(groups)]

    def entry(self, row: int) -> HistoryEntry:
        found: Row = self.row_at(row)
        return found.group.latest

    def group(self, row: int) -> HistoryGroup:
        found: Row = self.row_at(row)
        return found.group

    def header_labels(self) -> tuple[str, ...]:
        return (_("Version"), _("Saved"), _("What"), _("Author"), _("Words"))

    def cell(self, row: int, column: str, role: int) -> Any:
        group = self.group(row)
        e = group.latest
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "version": (f"{group.first.version}–{e.version}" if group.is_session
                            else str(e.version)),
                "saved": (format_datetime(group.first.at) + " – " + format_time(e.at)
                          if group.is_session else format_datetime(e.at)),
                "what": self._what(group),
                "author": e.author,
                "words": format_number(self._rows[row].words),
            }[column]
        if role == Qt.ItemDataRole.FontRole and column == "what" and e.name:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("words", "version"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _what(group: HistoryGroup) -> str:
        e = group.latest
        what = (plural("edited: {n} autosave", "edited: {n} autosaves", len(group.entries))
                if group.is_session else describe(e))
        return f"“{e.name}” — {what}" if e.name else what


def diff_html(template: Template, language: str, old_title: str, old: Mapping[str, str],
              new_title: str, new: Mapping[str, str]) -> str:
    """What changed from version ``old`` to the current text ``new``, section by section:
    text only in the old version struck through in red, text added since in green."""
    parts: list[str] = []
    keys = list(template.keys) + sorted((set(old) | set(new)) - set(template.keys))
    if old_title != new_title:
        heading = html.escape(_("Title"))
        parts.append(f"<h3>{heading}</h3><p>{_diff(old_title, new_title)}</p>")
    for key in keys:
        before, after = old.get(key, ""), new.get(key, "")
        if before == after:
            continue
        section = template.section(key)
        title = section.title_in(language) if section else key
        text_before, text_after = _plain(before), _plain(after)
        only_format = html.escape(_("Only the formatting changed."))
        body = (_diff(text_before, text_after) if text_before != text_after
                else f"<i>{only_format}</i>")
        parts.append(f"<h3>{html.escape(title)}</h3><p>{body}</p>")
    if not parts:
        same = html.escape(_("No differences: this version is the current text."))
        return f"<p>{same}</p>"
    # Messages outside the f-strings: the message extractor does not look inside them.
    gone, added = html.escape(_("only in this version")), html.escape(_("added since"))
    legend = (f'<p><span style="{deleted_style()}">{gone}</span>'
              f' · <span style="{inserted_style()}">{added}</span></p>')
    return legend + "".join(parts)


def _plain(markdown: str) -> str:
    """The text as a reader sees it: paragraphs apart, list items marked, one per line."""
    return _blocks_text(parse(markdown))


def _blocks_text(blocks: Sequence[Block], depth: int = 0) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(inline_text(block.inlines))
            continue
        items = []
        for n, item in enumerate(block.items):
            marker = f"{block.start + n}." if block.ordered else "•"
            items.append("    " * depth + marker + " " + _blocks_text(item.blocks, depth + 1))
        out.append("\n".join(items))
    return ("\n" if depth else "\n\n").join(out)


def _diff(before: str, after: str) -> str:
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    deleted, inserted = deleted_style(), inserted_style()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            out.append(f'<span style="{deleted}">{_html("".join(a[i1:i2]))}</span>')
        if op in ("replace", "insert"):
            out.append(f'<span style="{inserted}">{_html("".join(b[j1:j2]))}</span>')
        if op == "equal":
            out.append(_html("".join(a[i1:i2])))
    return "".join(out)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


class HistoryDialog(QDialog):
    """The versions, a diff of the selected one against the current text, and restore."""

    sig_restore_requested = Signal(int)
    """The user asked to make this version (its sequence number) the current text again."""

    sig_name_requested = Signal(int, str)
    """The user named a version: (its sequence number, the name; empty removes it)."""

    def __init__(self, versions: Sequence[Version], template: Template, language: str,
                 current_title: str, current: Mapping[str, str], can_restore: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("History of the submission"))
        self.setAccessibleName(_("History of the submission"))
        self._template = template
        self._language = language
        self._current_title = current_title
        self._current = dict(current)
        self._versions = list(versions)
        self.model = HistoryModel(versions, False, self)
        self.table = QTableView(self)
        self.table.setObjectName("history_versions")
        self.table.setAccessibleName(_("Saved versions"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.diff_view = QTextBrowser(self)
        self.diff_view.setObjectName("history_diff")
        self.diff_view.setAccessibleName(_("Changes since the selected version"))
        self.diff_view.setOpenLinks(False)
        caption = QLabel(_("Changes from the selected version to the text in the editor:"), self)
        caption.setWordWrap(True)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(caption)
        right_layout.addWidget(self.diff_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 520])
        splitter.setChildrenCollapsible(False)
        self.every_box = QCheckBox(_("Show every save"), self)
        self.every_box.setToolTip(_("Each autosave on its own line, instead of one line for "
                                    "each editing session"))
        self.every_box.toggled.connect(lambda _on: self.set_versions(self._versions))
        self.name_button = QPushButton(_("&Name this version…"), self)
        self.name_button.setEnabled(False)
        self.name_button.clicked.connect(self._on_name_button_clicked)
        self.name_dialog: QInputDialog | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.name_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button = QPushButton(_("&Restore this version"), self)
        self.restore_button.setAccessibleName(_("Restore this version"))
        self.restore_button.setEnabled(False)
        self.restore_button.setVisible(can_restore)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.every_box)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(960, 600)
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.setFocus()

    def set_versions(self, versions: Sequence[Version]) -> None:
        """Show ``versions`` (after a name was given), keeping the selected version selected."""
        selected = self.selected_entry()
        self._versions = list(versions)
        self.model.set_rows(HistoryModel.rows_of(versions, self.every_box.isChecked()))
        row = next((r for r in range(self.model.rowCount())
                    if selected is not None and any(e.seq == selected.seq
                                                    for e in self.model.group(r).entries)), 0)
        if self.model.rowCount():
            self.table.selectRow(row)

    def _on_name_button_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Name this version"))
        dialog.setLabelText(_("A name for version {n} (e.g. “sent to the ministry”); "
                              "leave it empty to remove the name:").format(n=entry.version))
        dialog.setTextValue(entry.name or "")
        dialog.textValueSelected.connect(lambda text: self.sig_name_requested.emit(entry.seq, text))
        dialog.finished.connect(dialog.deleteLater)
        self.name_dialog = dialog
        dialog.open()

    def selected_entry(self) -> HistoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        entry = self.selected_entry()
        self.restore_button.setEnabled(entry is not None)
        self.name_button.setEnabled(entry is not None)
        if entry is None:
            self.diff_view.clear()
            return
        self.diff_view.setHtml(diff_html(self._template, self._language, entry.title, entry.body,
                                         self._current_title, self._current))

    def _on_restore_button_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.sig_restore_requested.emit(entry.seq)
