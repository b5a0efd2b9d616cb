"""Spell check in the submission's language: Hunspell with LibreOffice's dictionaries.

- British English (``-ise``), French and Spanish; the dictionaries are bundled resources
  (resources/dictionaries, fetched by scripts/fetch-dictionaries, xz-compressed);
- the user's own words ("Add to my dictionary") are kept per language in the data folder and
  loaded with the dictionary, so they count on the next run too;
- Hunspell runs in a process of its own, started on first use: the binding holds Python's lock
  while it works (loading a dictionary takes 0.1 s, a French suggestion up to half a second), and
  in the window's process that would freeze typing. Every call here blocks its caller until the
  answer comes: call them off the window's thread.
"""

from __future__ import annotations

import logging
import lzma
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from idm_desktop.config.paths import Paths
from idm_desktop.core.resources import resource

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)

# The submission's language -> the dictionary's file stem in resources/dictionaries.
DICTIONARIES = {"en": "en_GB", "fr": "fr", "es": "es"}
MAX_SUGGESTIONS = 6

# A word: letters, with inner apostrophes and hyphens ("l’organisation", "peut-être",
# "delegate's"). Numbers, and words joined to digits, are not checked.
_WORD = re.compile(r"(?<![\w@/.-])[^\W\d_]+(?:[-'’][^\W\d_]+)*(?![\w@/]|\.\w)")
# Addresses: their letters are not words to check.
_SKIP = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")


def words_in(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, length, word)`` of each word to check in ``text`` (not acronyms, not addresses)."""
    skipped = [m.span() for m in _SKIP.finditer(text)] if ("@" in text or "/" in text
                                                             or "www." in text) else []
    for m in _WORD.finditer(text):
        word = m.group()
        if len(word) < 2 or (word.isupper() and len(word) <= 6):
            continue  # "a", and acronyms such as IDM or UNHCR
        start = m.start()
        if any(a <= start < b for a, b in skipped):
            continue
        yield start, len(word), word


def dictionaries_dir() -> Path:
    return resource("dictionaries")


def available(language: str) -> bool:
    """Whether the dictionary for ``language`` is installed."""
    stem = DICTIONARIES.get(language)
    return stem is not None and (dictionaries_dir() / f"{stem}.dic.xz").is_file()


def read_words(path: Path) -> list[str]:
    """The words of a personal word list (none when there is no file yet)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeError) as exc:
        log.warning("personal word list %s unreadable: %s", path, exc)
        return []
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


# -- inside the spelling process -------------------------------------------------------------------

_LOADED: dict[str, Any] = {}
_UNPACKED: list[tempfile.TemporaryDirectory[str]] = []  # removed when the process ends


def _unpacked(stem: str, data_dir: str) -> str:
    """The dictionary's folder: the bundled files are xz-compressed, Hunspell reads plain ones."""
    if not _UNPACKED:
        _UNPACKED.append(tempfile.TemporaryDirectory(prefix="idm-spelling-"))
    folder = Path(_UNPACKED[0].name)
    for ext in ("aff", "dic"):
        with lzma.open(Path(data_dir) / f"{stem}.{ext}.xz") as packed:
            (folder / f"{stem}.{ext}").write_bytes(packed.read())
    return str(folder)


def _speller(stem: str, data_dir: str, personal: str) -> Any:
    speller = _LOADED.get(stem)
    if speller is None:
        import hunspell

        speller = hunspell.Hunspell(stem, hunspell_data_dir=_unpacked(stem, data_dir))
        for word in read_words(Path(personal)):
            _add(speller, word)
        _LOADED[stem] = speller
    return speller


def _add(speller: Any, word: str) -> None:
    try:
        speller.add(word)
    except UnicodeError:
        log.warning("the dictionary cannot hold %r", word)


def watch_parent() -> None:
    """Runs first in the spelling process: it ends when the program that started it ends, even
    killed (kill -9, a crash), instead of lingering with its files and pipes open."""
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run_in_process(op: str, stem: str, data_dir: str, personal: str,
                   words: list[str]) -> list[Any]:
    """Runs in the spelling process: ``check`` (a bool per word), ``suggest`` (one word's
    suggestions) or ``add`` (words added to the loaded dictionary)."""
    speller = _speller(stem, data_dir, personal)
    if op == "check":
        out: list[Any] = []
        for word in words:
            try:
                out.append(bool(speller.spell(word)))
            except UnicodeError:  # a character the dictionary cannot hold
                out.append(True)
        return out
    if op == "suggest":
        try:
            return list(speller.suggest(words[0]))[:MAX_SUGGESTIONS]
        except UnicodeError:
            return []
    if op == "add":
        for word in words:
            _add(speller, word)
        return []
    raise ValueError(op)


# -- in the program -----------------------------------------------------------------------------------


class Spelling:
    """The user's spell check in English, French and Spanish, and their own words.

    Every method blocks until the spelling process answers: call them off the GUI thread.
    """

    def __init__(self, paths: Paths) -> None:
        self._paths = paths
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _call(self, op: str, language: str, words: list[str]) -> list[Any]:
        stem = DICTIONARIES.get(language)
        if stem is None:
            raise ValueError(f"no dictionary for {language!r}")
        with self._lock:
            if self._pool is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                # "spawn" everywhere: the child gets none of the window's threads or Qt state.
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=watch_parent)
            pool = self._pool
        personal = str(self._paths.personal_words(language))
        future = pool.submit(run_in_process, op, stem, str(dictionaries_dir()), personal, words)
        try:
            return future.result()
        except Exception:
            # A dead process (BrokenProcessPool) is replaced on the next call.
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise

    def check(self, language: str, words: Iterable[str]) -> dict[str, bool]:
        """Each word -> whether it is spelt right in ``language``."""
        batch = list(dict.fromkeys(words))
        return dict(zip(batch, self._call("check", language, batch), strict=True)) if batch else {}

    def suggest(self, language: str, word: str) -> list[str]:
        """Hunspell's suggestions for ``word``, best first."""
        return [str(s) for s in self._call("suggest", language, [word])]

    def add_word(self, language: str, word: str) -> None:
        """Add ``word`` to the user's own words for ``language``: kept in the data folder, and
        known at once."""
        word = word.strip()
        if not word or any(c.isspace() for c in word):
            raise ValueError("a single word is needed")
        path = self._paths.personal_words(language)
        with self._lock:
            if word not in read_words(path):
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as out:
                    out.write(word + "\n")
        self._call("add", language, [word])

    def process_ids(self) -> list[int]:
        """The spelling process's id, once started (for diagnostics and tests)."""
        with self._lock:
            pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return sorted(processes)

    def close(self) -> None:
        """Stop the spelling process (it is started again if needed)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
