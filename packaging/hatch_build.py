"""Wheel build hook: compile the gettext catalogs (.po -> .mo) into the wheel.

Compiled catalogs are build outputs and are not committed; the wheel carries them so an
installed copy translates without Babel's command line.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            # A checkout compiles its catalogs at run time (idm_desktop.core.i18n).
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        self._tmp = tempfile.TemporaryDirectory()
        for po_path in sorted((root / "resources" / "locale").glob("*/LC_MESSAGES/*.po")):
            rel = po_path.relative_to(root / "resources").with_suffix(".mo")
            out = Path(self._tmp.name) / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as src:
                catalog = read_po(src)
            with out.open("wb") as dst:
                write_mo(dst, catalog)
            build_data["force_include"][str(out)] = f"idm_desktop/_resources/{rel.as_posix()}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
