"""Checking a zip archive before anything is unpacked from it (zip bombs, non-DOCX zips).

The sizes checked are the ones the archive declares; that is enough because Python's zip
reader never returns more bytes than a member declares, and fails on a member whose data does
not match its checksum.
"""

from __future__ import annotations

import zipfile

from idm_desktop.ingest.model import Failure, Problem

MAX_MEMBERS = 5_000
"""A Word document has tens of parts, a few hundred with many pictures."""

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""The total unpacked size of all members."""

MAX_RATIO = 200
"""The largest unpacked/packed ratio of a member over :data:`RATIO_FLOOR` bytes: Word's XML
packs about 10 to 1, and a zip bomb a thousand to one or more."""

RATIO_FLOOR = 1024 * 1024

DOCX_REQUIRED = ("[Content_Types].xml", "word/document.xml")


def check_docx_archive(archive: zipfile.ZipFile) -> Failure | None:
    """Why ``archive`` may not be unpacked as a Word document, or None when it may."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return Failure(Problem.UNSAFE_ARCHIVE, f"{len(members)} members")
    total = 0
    for info in members:
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            return Failure(Problem.UNSAFE_ARCHIVE, f"more than {MAX_UNPACKED_BYTES} bytes unpacked")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return Failure(Problem.UNSAFE_ARCHIVE, f"{info.filename!r} packed too tightly")
        if info.flag_bits & 0x1:
            # An encrypted member: Word does not make these, so this is no Word document.
            return Failure(Problem.DAMAGED_DOCX, f"{info.filename!r} is encrypted")
    names = {info.filename for info in members}
    missing = [name for name in DOCX_REQUIRED if name not in names]
    if missing:
        return Failure(Problem.NOT_DOCX, f"missing {', '.join(missing)}")
    return None
