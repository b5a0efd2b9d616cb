"""Word documents: text in order, titles, page counts, and refusals of bad or unsafe zips."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from idm_desktop.ingest import Extractor, extract, zipguard
from idm_desktop.ingest.model import Failure, Problem

Refused = Callable[..., str]
MakeDocx = Callable[..., Path]

PARAGRAPHS = [
    "L’État partenaire « engagé » : les sociétés civiles y participent déjà.",
    "¿Cómo seguir? ¡Juntos! El señor Ibáñez lo explicó en Ginebra.",
]


def _rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy a zip member by member; ``change`` returns new bytes, or None to drop a member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def test_docx_text_round_trips_in_document_order(extractor: Extractor, make_docx: MakeDocx) -> None:
    path = make_docx(
        "position.docx",
        PARAGRAPHS,
        heading="Politique d’intégration",
        table=[["Pays", "Año"], ["Côte d’Ivoire", "2006"]],
    )

    result = extractor.extract(path)

    assert result.mime == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert result.text.split("\n") == [
        "Politique d’intégration",
        *PARAGRAPHS,
        "Pays\tAño",
        "Côte d’Ivoire\t2006",
    ]
    assert result.title == "Politique d’intégration"
    assert result.data == path.read_bytes()


def test_merged_table_cells_are_read_once(extractor: Extractor, tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Partenaires"
    for cell, text in zip(table.rows[1].cells, ["OIM", "OMS", "OIT"], strict=True):
        cell.text = text
    path = tmp_path / "merged.docx"
    document.save(str(path))

    assert extractor.extract(path).text.split("\n") == ["Partenaires", "OIM\tOMS\tOIT"]


def test_core_title_comes_before_the_first_heading(extractor: Extractor, make_docx: MakeDocx) -> None:
    path = make_docx("titled.docx", PARAGRAPHS, title="Informe nacional", heading="Introducción")

    assert extractor.extract(path).title == "Informe nacional"


def test_docx_without_title_or_heading_uses_its_first_short_line(
    extractor: Extractor, make_docx: MakeDocx
) -> None:
    path = make_docx("plain.docx", ["", "Résumé", *PARAGRAPHS])

    assert extractor.extract(path).title == "Résumé"


def test_docx_page_count_is_estimated_when_word_did_not_record_it(
    extractor: Extractor, make_docx: MakeDocx
) -> None:
    # python-docx keeps its template's "1 page, 0 words": that count is stale, not recorded.
    path = make_docx("long.docx", [" ".join(["palabra"] * 100)] * 12)

    assert extractor.extract(path).page_count == 3


def test_docx_page_count_recorded_by_word_is_used(
    extractor: Extractor, make_docx: MakeDocx, tmp_path: Path
) -> None:
    source = make_docx("source.docx", PARAGRAPHS)

    def record(name: str, data: bytes) -> bytes:
        if name != "docProps/app.xml":
            return data
        return data.replace(b"<Pages>1</Pages>", b"<Pages>7</Pages>").replace(
            b"<Words>0</Words>", b"<Words>3120</Words>"
        )

    path = _rewrite(source, tmp_path / "saved-by-word.docx", record)

    assert extractor.extract(path).page_count == 7


def test_zip_that_is_not_a_docx_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")

    refused(lambda: extract(path), "archive.docx", "not a Word document")


def test_zip_bomb_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(250):
                member.write(block)
    assert path.stat().st_size < 1024 * 1024

    refused(lambda: extract(path), "bomb.docx", "refused as unsafe")


def test_docx_with_too_many_parts_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "crowded.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(zipguard.MAX_MEMBERS):
            archive.writestr(f"word/media/{number}.bin", b"")

    refused(lambda: extract(path), "crowded.docx", "refused as unsafe")


def test_total_unpacked_size_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"x" * 600)
        archive.writestr("word/document.xml", b"y" * 600)
    monkeypatch.setattr(zipguard, "MAX_UNPACKED_BYTES", 1000)

    with zipfile.ZipFile(buffer) as archive:
        assert zipguard.check_docx_archive(archive) == Failure(
            Problem.UNSAFE_ARCHIVE, "more than 1000 bytes unpacked"
        )


def test_old_word_file_named_docx_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)

    refused(lambda: extract(path), "old.docx", "password-protected", "save it as .docx")


def test_pdf_named_docx_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "paper.docx"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")

    refused(lambda: extract(path), "paper.docx", "not a Word document")


def test_broken_zip_is_refused_as_damaged(tmp_path: Path, make_docx: MakeDocx, refused: Refused) -> None:
    data = make_docx("whole.docx", PARAGRAPHS).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])

    refused(lambda: extract(path), "cut.docx", "damaged Word document")


def test_malformed_document_xml_is_refused_as_damaged(
    tmp_path: Path, make_docx: MakeDocx, refused: Refused
) -> None:
    source = make_docx("source.docx", PARAGRAPHS)
    path = _rewrite(
        source,
        tmp_path / "malformed.docx",
        lambda name, data: b"<w:document><unclosed>" if name == "word/document.xml" else data,
    )

    refused(lambda: extract(path), "malformed.docx", "damaged Word document")


def test_macro_enabled_document_renamed_docx_is_refused(
    tmp_path: Path, make_docx: MakeDocx, refused: Refused
) -> None:
    source = make_docx("source.docx", PARAGRAPHS)
    path = _rewrite(
        source,
        tmp_path / "macros.docx",
        lambda name, data: (
            data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            if name == "[Content_Types].xml"
            else data
        ),
    )

    refused(lambda: extract(path), "macros.docx", "not a Word document")
