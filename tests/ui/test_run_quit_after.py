"""IDM_DESKTOP_QUIT_AFTER_MS (the built program's smoke test closes the window with it)."""

from __future__ import annotations

import pytest

from idm_desktop.ui.window import QUIT_AFTER_ENV, _quit_after_ms


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), ("", None), ("  ", None), ("1500", 1500), ("0", 0), ("-5", 0), ("soon", None),
])
def test_quit_after_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str | None,
                                                 expected: int | None) -> None:
    if value is None:
        monkeypatch.delenv(QUIT_AFTER_ENV, raising=False)
    else:
        monkeypatch.setenv(QUIT_AFTER_ENV, value)
    assert _quit_after_ms() == expected
