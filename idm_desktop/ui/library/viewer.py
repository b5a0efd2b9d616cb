"""The document viewer: the document's facts above it, then the PDF itself (QtPdf) or its text,
opened at the first hit of the current search with every hit highlighted."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.documents import Document
from idm_desktop.core.errors import IdmError
from idm_desktop.core.find import FindOptions, find_all, utf16_spans
from idm_desktop.core.formatting import local, short_date
from idm_desktop.core.i18n import _, plural, ui_language
from idm_desktop.core.i18n import count as count_text
from idm_desktop.ui.formatting import TextSize, highlight_colors, set_text_size
from idm_desktop.ui.library.model import language_label
from idm_desktop.ui.library.scope import TaskScope
from idm_desktop.ui.library.terms import Term, find_spans, highlight_pattern
from idm_desktop.ui.tasks import Lane, TaskManager

log = logging.getLogger(__name__)

PDF_MIME = "application/pdf"
_PAGE_EMPTY, _PAGE_TEXT, _PAGE_PDF = range(3)


@dataclass(frozen=True, slots=True)
class _Loaded:
    doc: Document
    text: str
    spans: list[tuple[int, int]]  # hits in ``text``, UTF-16 (start, length)


class DocumentViewer(QWidget):
    """Shows one document at a time; asking for another while one loads replaces the wait."""

    sig_document_shown = Signal(str)
    """A document is now on screen (its id)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._scope = TaskScope(tasks, self)
        self._current: tuple[str, tuple[Term, ...]] | None = None
        self._pending: tuple[str, tuple[Term, ...]] | None = None
        self._loading = False
        self._spans: list[tuple[int, int]] = []
        self._match = -1
        self._pdf_buffer: QBuffer | None = None
        self._pdf_jump_pending = False
        self._focus_when_shown = False
        self._build()

    def _build(self) -> None:
        self.symbol_label = QLabel(self)
        self.symbol_label.setObjectName("document_symbol")
        set_text_size(self.symbol_label, TextSize.TITLE)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("document_title")
        self.title_label.setWordWrap(True)
        self.facts_label = QLabel(self)
        self.facts_label.setObjectName("document_facts")
        self.facts_label.setWordWrap(True)
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("document_notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        for label in (self.symbol_label, self.title_label, self.facts_label, self.notice_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.symbol_label.setAccessibleName(_("Document symbol"))
        self.title_label.setAccessibleName(_("Document title"))
        self.facts_label.setAccessibleName(_("About the document"))
        self.notice_label.setAccessibleName(_("Viewer notice"))

        self.matches_label = QLabel(self)
        self.matches_label.setObjectName("document_matches")
        self.matches_label.setAccessibleName(_("Matches in the document"))
        self.matches_label.setWordWrap(True)  # rather than widen the viewer
        self.previous_button = QToolButton(self)
        self.previous_button.setText(_("Previous match"))
        self.previous_button.setToolTip(_("Previous match (Shift+F3)"))
        self.previous_button.setAccessibleName(_("Previous match"))
        self.previous_button.clicked.connect(lambda: self._on_match_step(-1))
        self.next_button = QToolButton(self)
        self.next_button.setText(_("Next match"))
        self.next_button.setToolTip(_("Next match (F3)"))
        self.next_button.setAccessibleName(_("Next match"))
        self.next_button.clicked.connect(lambda: self._on_match_step(1))
        # Arrows, as in a find bar, named for assistive technology and in the tooltip: the words
        # ("Occurrence précédente") would take the room of the documents table beside.
        for button, arrow in ((self.previous_button, Qt.ArrowType.UpArrow),
                              (self.next_button, Qt.ArrowType.DownArrow)):
            button.setArrowType(arrow)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for key, step in (("F3", 1), ("Shift+F3", -1)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self._on_match_step(s))
        # The pages of a PDF are pictures to assistive technology: its text is one click away.
        self.text_toggle = QToolButton(self)
        self.text_toggle.setObjectName("document_text_toggle")
        self.text_toggle.setText(_("Text"))
        self.text_toggle.setCheckable(True)
        self.text_toggle.setToolTip(_("Show the document’s text instead of its pages (Ctrl+T)"))
        self.text_toggle.setAccessibleName(_("Show the document’s text"))
        self.text_toggle.setShortcut(QKeySequence("Ctrl+T"))
        self.text_toggle.toggled.connect(self._on_text_toggle_toggled)
        self.text_toggle.hide()
        # Find in this document (Ctrl+F while the document has the focus), whatever the search.
        self.find_edit = QLineEdit(self)
        self.find_edit.setObjectName("document_find")
        self.find_edit.setPlaceholderText(_("Find in this document"))
        self.find_edit.setAccessibleName(_("Find in this document"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("x" * 28))
        self.find_edit.textChanged.connect(self.find_in_document)
        self.find_edit.returnPressed.connect(lambda: self._on_match_step(1))
        matches_row = QHBoxLayout()
        matches_row.setContentsMargins(0, 0, 0, 0)
        matches_row.addWidget(self.find_edit)
        matches_row.addWidget(self.matches_label, 1)
        matches_row.addWidget(self.previous_button)
        matches_row.addWidget(self.next_button)
        matches_row.addWidget(self.text_toggle)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("viewer_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.text_view = QPlainTextEdit(self)
        self.text_view.setObjectName("document_text")
        self.text_view.setReadOnly(True)
        self.text_view.setUndoRedoEnabled(False)
        self.text_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text_view.setAccessibleName(_("Document text"))
        self.pdf_document = QPdfDocument(self)
        self.pdf_search = QPdfSearchModel(self)
        self.pdf_search.setDocument(self.pdf_document)
        self.pdf_search.countChanged.connect(self._on_pdf_search_count_changed)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setObjectName("document_pdf")
        self.pdf_view.setAccessibleName(_("Document pages"))
        self.pdf_view.setAccessibleDescription(
            _("The pages as pictures; the Text button (Ctrl+T) shows the document’s text."))
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setSearchModel(self.pdf_search)
        self.stack = QStackedWidget(self)
        for page in (self.empty_label, self.text_view, self.pdf_view):
            self.stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.symbol_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.notice_label)
        layout.addLayout(matches_row)
        layout.addWidget(self.stack, 1)
        self.clear()

    # -- public ----------------------------------------------------------------------------------

    def show_document(self, document_id: str, terms: Sequence[Term] = ()) -> None:
        """Show a document, with ``terms`` highlighted and the first of them in view."""
        request = (document_id, tuple(terms))
        if self._loading:  # only the latest request matters
            self._pending = None if request == self._current else request
            return
        if request != self._current:
            self._start(request)

    def focus_content(self) -> None:
        """Move the keyboard focus into the document (once it is shown, if it is loading)."""
        if self._loading:
            self._focus_when_shown = True
            return
        page = self.stack.currentWidget()
        if page is not None:
            page.setFocus(Qt.FocusReason.OtherFocusReason)

    def loading(self) -> bool:
        """Whether a document is being opened."""
        return self._loading

    def current_id(self) -> str | None:
        """The document on screen (or being opened)."""
        return self._current[0] if self._current else None

    def show_facts(self, doc: Document) -> None:
        """Show the corrected facts of ``doc`` if it is the document on screen."""
        if self.current_id() == doc.id and not self._loading:
            self._set_facts(doc)

    def highlights(self) -> list[tuple[int, int]]:
        """The highlighted hits of the text on screen: (start, length)."""
        return list(self._spans)

    def clear(self) -> None:
        """Show nothing (e.g. the document was removed)."""
        self._current = None
        self._set_facts(None)
        self._close_pdf()
        self.text_view.clear()
        self._set_spans([])
        self.empty_label.setText(_("Choose a document in the list to read it here."))
        self.stack.setCurrentIndex(_PAGE_EMPTY)

    # -- loading ---------------------------------------------------------------------------------

    def _start(self, request: tuple[str, tuple[Term, ...]]) -> None:
        self._pending = None
        self._loading = True
        self._current = request
        ident, terms = request
        pattern = highlight_pattern(terms)
        app = self._app

        def load() -> _Loaded:
            doc = app.document(ident)
            # A PDF's pages are separated by form feeds: one line break each, same offsets.
            text = app.document_text(doc.id).replace("\f", "\n")
            return _Loaded(doc, text, find_spans(text, pattern))

        self._scope.run(load, lane=Lane.STORAGE, name="open document",
                        on_done=lambda loaded: self._on_document_loaded(request, loaded),
                        on_error=self._on_document_failed)

    def _next_request(self) -> bool:
        """Start the request that came while loading; True if there was one."""
        self._loading = False
        if self._pending is None:
            return False
        self._start(self._pending)
        return True

    def _on_document_loaded(self, request: tuple[str, tuple[Term, ...]], loaded: _Loaded) -> None:
        if self._pending is not None:
            self._next_request()
            return
        self._set_facts(loaded.doc)
        self.find_edit.blockSignals(True)  # a new document opens at the search's hits
        self.find_edit.clear()
        self.find_edit.blockSignals(False)
        if loaded.doc.mime != PDF_MIME:
            self._show_text(loaded)
            self._finish(loaded.doc.id)
            return
        path = self._app.blob_path(loaded.doc)
        terms = request[1]
        self._scope.run(path.read_bytes, lane=Lane.WORK, name="read PDF",
                        on_done=lambda data: self._on_pdf_read(loaded, terms, data),
                        on_error=lambda exc: self._on_pdf_unreadable(loaded, exc))

    def _on_document_failed(self, exc: BaseException) -> None:
        if self._next_request():
            return
        self._current = None
        if not isinstance(exc, IdmError):
            self._scope.tasks.default_error(exc)
            return
        self._set_facts(None)
        self.empty_label.setText(str(exc))
        self.stack.setCurrentIndex(_PAGE_EMPTY)

    def _finish(self, document_id: str) -> None:
        if self._next_request():
            return
        if self._focus_when_shown:
            self._focus_when_shown = False
            self.focus_content()
        self.sig_document_shown.emit(document_id)

    # -- text ------------------------------------------------------------------------------------

    def _show_text(self, loaded: _Loaded) -> None:
        self._close_pdf()
        self.text_view.setPlainText(loaded.text)
        self._set_spans(loaded.spans)
        self.stack.setCurrentIndex(_PAGE_TEXT)
        if loaded.spans:
            self._go_to_match(0)
        else:
            self.text_view.moveCursor(QTextCursor.MoveOperation.Start)

    def _set_spans(self, spans: list[tuple[int, int]]) -> None:
        self._spans = spans
        self._match = -1
        marked = QTextCharFormat()
        background, text = highlight_colors()
        marked.setBackground(background)
        marked.setForeground(text)
        selections = []
        document = self.text_view.document()
        for start, length in spans:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(document)
            cursor.setPosition(start)
            cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = marked
            selections.append(selection)
        self.text_view.setExtraSelections(selections)
        self._show_match_count(len(spans))

    def _show_match_count(self, count: int) -> None:
        if count and 0 <= self._match < count:  # "2 of 5 matches": where F3 has got to
            text = plural("{i} of {n} match for the search", "{i} of {n} matches for the search",
                          count, i=count_text(self._match + 1))
        elif count:
            text = plural("{n} match for the search", "{n} matches for the search", count)
        else:
            text = ""
        self.matches_label.setText(text)
        for widget in (self.matches_label, self.previous_button, self.next_button):
            widget.setVisible(count > 0)

    def find_in_document(self, text: str) -> None:
        """Mark every match of ``text`` in the document shown ("3 of 9"; accents and case
        ignored in the text; in a PDF's pages, as QtPdf finds them: case ignored)."""
        if self._current is None:
            return
        plain = self.text_view.document().toRawText()
        spans = [(a, b - a) for a, b in utf16_spans(plain, find_all(plain, text.strip(),
                                                                   FindOptions()))]
        self._set_spans(spans)
        if self.stack.currentIndex() == _PAGE_PDF:
            self._pdf_jump_pending = bool(text.strip())
            self.pdf_search.setSearchString(text.strip())
        elif spans:
            self._go_to_match(0)

    def _go_to_match(self, number: int) -> None:
        self._match = number
        if self.stack.currentIndex() == _PAGE_PDF:
            link = self.pdf_search.resultAtIndex(number)
            self.pdf_view.setCurrentSearchResultIndex(number)
            self.pdf_view.pageNavigator().jump(link)
            self._show_match_count(self.pdf_search.count())
            return
        start, length = self._spans[number]
        # The current hit is selected (the platform's selection colour, over the others' mark),
        # the cursor at its start.
        cursor = self.text_view.textCursor()
        cursor.setPosition(start + length)
        cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        self.text_view.setTextCursor(cursor)
        self.text_view.centerCursor()
        self._show_match_count(len(self._spans))

    def step_match(self, step: int) -> None:
        """Select the next (``step`` 1) or previous (-1) match: F3 and Shift+F3, also from the
        Library's search box, list and table (see LibraryView)."""
        self._on_match_step(step)

    def _on_match_step(self, step: int) -> None:
        pdf = self.stack.currentIndex() == _PAGE_PDF
        count = self.pdf_search.count() if pdf else len(self._spans)
        if count:
            self._go_to_match((self._match + step) % count)

    # -- PDF ---------------------------------------------------------------------------------------

    def _on_pdf_read(self, loaded: _Loaded, terms: tuple[Term, ...], data: bytes) -> None:
        if self._pending is not None:
            self._next_request()
            return
        self._close_pdf()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._pdf_buffer = buffer
        self.pdf_document.load(buffer)  # from memory: no disk access here
        if self.pdf_document.status() != QPdfDocument.Status.Ready:
            log.info("QtPdf could not show %s: %s", loaded.doc.id, self.pdf_document.error())
            self._on_pdf_unreadable(loaded, None)
            return
        self.text_view.setPlainText(loaded.text)  # behind the Text button
        self._set_spans(loaded.spans)
        self.stack.setCurrentIndex(_PAGE_PDF)
        self._show_pdf_text_toggle(True)
        self.pdf_view.pageNavigator().jump(0, QPointF(0, 0))
        if terms:
            self._pdf_jump_pending = True
            self.pdf_search.setSearchString(terms[0].word)
        self._finish(loaded.doc.id)

    def _on_pdf_unreadable(self, loaded: _Loaded, exc: BaseException | None) -> None:
        if self._pending is not None:
            self._next_request()
            return
        if exc is not None:
            log.warning("the original of %s cannot be read: %s", loaded.doc.id, exc)
        self._show_text(loaded)
        self.notice_label.setText(
            _("The original PDF cannot be shown here; its text is shown instead."))
        self.notice_label.show()
        self._finish(loaded.doc.id)

    def _on_pdf_search_count_changed(self) -> None:
        count = self.pdf_search.count()
        if self.stack.currentIndex() == _PAGE_PDF:
            self._show_match_count(count)
        if self._pdf_jump_pending and count > 0:
            self._pdf_jump_pending = False
            self._go_to_match(0)

    def _show_pdf_text_toggle(self, shown: bool) -> None:
        self.text_toggle.blockSignals(True)
        self.text_toggle.setChecked(False)
        self.text_toggle.blockSignals(False)
        self.text_toggle.setVisible(shown)

    def _on_text_toggle_toggled(self, as_text: bool) -> None:
        if self.pdf_document.status() != QPdfDocument.Status.Ready:
            return
        self.stack.setCurrentIndex(_PAGE_TEXT if as_text else _PAGE_PDF)
        self._match = -1
        self._show_match_count(len(self._spans) if as_text else self.pdf_search.count())
        if as_text and self._spans:
            self._go_to_match(0)
        if self.isVisible():
            self.focus_content()

    def _close_pdf(self) -> None:
        self._show_pdf_text_toggle(False)
        self._pdf_jump_pending = False
        self.pdf_search.setSearchString("")
        self.pdf_document.close()
        if self._pdf_buffer is not None:
            self._pdf_buffer.close()
            self._pdf_buffer.deleteLater()
            self._pdf_buffer = None

    # -- facts -----------------------------------------------------------------------------------

    def _set_facts(self, doc: Document | None) -> None:
        self.notice_label.hide()
        if doc is None:
            self.symbol_label.clear()
            self.title_label.clear()
            self.facts_label.clear()
            self._show_match_count(0)
            return
        self.symbol_label.setText(doc.symbol)
        self.title_label.setText(doc.title if doc.title != doc.symbol else "")
        self.title_label.setVisible(doc.title != doc.symbol)
        facts = [_("Language: {language}").format(language=language_label(doc.language))]
        if doc.english_only:
            facts.append(_("English only"))
        facts.append(plural("{n} page", "{n} pages", doc.page_count))
        imported = short_date(local(doc.imported_at).date(), ui_language())
        facts.append(_("Imported {date}").format(date=imported))
        self.facts_label.setText(" · ".join(facts))
