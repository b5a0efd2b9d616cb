"""The service's settings: command-line flags over environment variables over defaults."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 8470
ENV_PREFIX = "IDM_SERVER_"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service is configured with (README: "Running the service")."""

    home: Path
    database_url: str = ""
    """SQLAlchemy URL; empty means the embedded SQLite file ``<home>/server.sqlite3``."""
    blob_dir: Path | None = None
    """Where published files are kept; default ``<home>/blobs``."""
    blob_store: str = ""
    """``s3://BUCKET?endpoint=URL`` (the S3 API), a folder, or '' for :attr:`effective_blob_dir`."""
    token_ttl: dt.timedelta = dt.timedelta(days=30)
    login_window: dt.timedelta = dt.timedelta(minutes=15)
    max_failures_per_user: int = 10
    max_failures_per_address: int = 50
    login_backoff: dt.timedelta = dt.timedelta(seconds=1)
    """The first wait once a sign-in budget is spent; each further failure doubles it."""
    max_body_bytes: int = 1024 * 1024
    """Largest JSON request body accepted (after gzip is undone)."""
    max_upload_bytes: int = 100 * 1024 * 1024
    """Largest document a secretariat user may upload through the API."""
    desk_idle: dt.timedelta = dt.timedelta(minutes=30)
    """A desk session ends after this long without a request."""
    min_client_version: str = "0.1.0"
    trust_forwarded_for: bool = False
    """Take the client address from X-Forwarded-For (only behind a trusted load balancer)."""

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'server.sqlite3'}"

    @property
    def effective_blob_dir(self) -> Path:
        return self.blob_dir or self.home / "blobs"

    @classmethod
    def from_env(cls, home: str | Path | None = None, database_url: str | None = None,
                 blob_store: str | None = None) -> Settings:
        """Settings from ``IDM_SERVER_*`` environment variables; explicit arguments win."""
        env = os.environ
        base = cls(home=Path("."))
        values: dict[str, object] = {
            "home": Path(home or env.get(f"{ENV_PREFIX}HOME") or _default_home()).expanduser(),
            "database_url": database_url or env.get(f"{ENV_PREFIX}DATABASE_URL", ""),
        }
        if blob_dir := env.get(f"{ENV_PREFIX}BLOB_DIR"):
            values["blob_dir"] = Path(blob_dir).expanduser()
        if store := env.get(f"{ENV_PREFIX}BLOB_STORE"):
            values["blob_store"] = store
        if ttl := env.get(f"{ENV_PREFIX}TOKEN_TTL_DAYS"):
            values["token_ttl"] = dt.timedelta(days=float(ttl))
        for name in ("max_failures_per_user", "max_failures_per_address", "max_body_bytes",
                     "max_upload_bytes"):
            if raw := env.get(ENV_PREFIX + name.upper()):
                values[name] = int(raw)
        if raw := env.get(f"{ENV_PREFIX}LOGIN_BACKOFF_SECONDS"):
            values["login_backoff"] = dt.timedelta(seconds=float(raw))
        if raw := env.get(f"{ENV_PREFIX}DESK_IDLE_MINUTES"):
            values["desk_idle"] = dt.timedelta(minutes=float(raw))
        if raw := env.get(f"{ENV_PREFIX}TRUST_FORWARDED_FOR"):
            values["trust_forwarded_for"] = raw.lower() in ("1", "true", "yes")
        if blob_store:
            values["blob_store"] = blob_store
        return dataclasses.replace(base, **values)  # type: ignore[arg-type]


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("idm-server", appauthor=False))
