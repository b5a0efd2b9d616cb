"""The service's settings read from IDM_SERVER_* variables (README: "Running the service")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from idm_desktop.server.config import Settings


def test_environment_sets_the_limits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IDM_SERVER_HOME", str(tmp_path))
    monkeypatch.setenv("IDM_SERVER_MAX_FAILURES_PER_USER", "4")
    monkeypatch.setenv("IDM_SERVER_LOGIN_BACKOFF_SECONDS", "30")
    monkeypatch.setenv("IDM_SERVER_DESK_IDLE_MINUTES", "5")
    monkeypatch.setenv("IDM_SERVER_TRUST_FORWARDED_FOR", "yes")
    settings = Settings.from_env()
    assert settings.home == tmp_path
    assert settings.max_failures_per_user == 4
    assert settings.login_backoff == dt.timedelta(seconds=30)
    assert settings.desk_idle == dt.timedelta(minutes=5)
    assert settings.trust_forwarded_for is True


def test_defaults_without_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("MAX_FAILURES_PER_USER", "LOGIN_BACKOFF_SECONDS", "DESK_IDLE_MINUTES",
                 "TRUST_FORWARDED_FOR"):
        monkeypatch.delenv("IDM_SERVER_" + name, raising=False)
    settings = Settings.from_env(home=tmp_path)
    assert settings.login_backoff == dt.timedelta(seconds=1)
    assert settings.max_failures_per_user == 10
    assert settings.trust_forwarded_for is False
