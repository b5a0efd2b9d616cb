from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from idm_desktop.cli import main

# The sync commands run against a real idm-server over a socket (the server tests' fixtures).
from tests.server.conftest import db_url, server_settings, service

__all__ = ["Result", "cli", "db_url", "server_settings", "service"]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``idm-desktop ARGS`` in-process (home comes from IDM_DESKTOP_HOME, set per test)."""

    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
