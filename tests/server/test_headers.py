"""Security headers on the API and /docs, and redirects that never echo the Host a client sent."""

from __future__ import annotations

import pytest

from tests.server.conftest import Service

on_sqlite = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@on_sqlite
def test_the_api_and_docs_carry_security_headers(service: Service) -> None:
    c = service.client()
    for path in ("/api/v1/info", "/api/v1/changes", "/openapi.json", "/healthz"):
        r = c.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["x-frame-options"] == "DENY", path
        assert r.headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], path
    assert c.get("/api/v1/info").headers["cache-control"] == "no-store"
    docs = c.get("/docs")
    assert "script-src" in docs.headers["content-security-policy"]  # its own policy is kept
    assert docs.headers["x-frame-options"] == "DENY"


@on_sqlite
def test_a_redirect_does_not_echo_the_host_header(service: Service) -> None:
    c = service.client(follow_redirects=False)
    r = c.get("/api/v1/info/", headers={"Host": "evil.example"})
    assert r.status_code in (307, 308)
    assert r.headers["location"] == "/api/v1/info"
    r = c.get("/", headers={"Host": "evil.example", "Accept-Language": "fr"})
    assert r.headers["location"] == "/fr/"
