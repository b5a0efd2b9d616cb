"""PySide6 6.12.0 on Python 3.11 loses a reference to None on every Qt call that returns
nothing, until the interpreter aborts (``Fatal Python error: none_dealloc``). This guards
the pin (``<6.12``) and tells whether a later version may be tried."""

from __future__ import annotations

import sys

import pytest

QtCore = pytest.importorskip("PySide6.QtCore")


def test_void_qt_calls_keep_none_refcount() -> None:
    obj = QtCore.QObject()
    obj.setObjectName("warm-up")
    before = sys.getrefcount(None)
    for i in range(10_000):
        obj.setObjectName("x" if i % 2 else "y")  # returns None (a void C++ method)
        obj.blockSignals(False)
    after = sys.getrefcount(None)
    # Other code may take or drop a few references meanwhile; a leak loses ~20,000.
    assert after >= before - 100, f"None lost {before - after} references in 20,000 void calls"


def test_pinned_pyside_version() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) == (6, 11), PySide6.__version__
