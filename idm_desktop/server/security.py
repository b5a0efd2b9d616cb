"""Passwords (scrypt), bearer tokens (random, stored hashed) and the login rate limit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt parameters (RFC 7914): 16 MiB of memory and ~50 ms a check on a server core.
_N, _R, _P = 2**14, 8, 1
_DKLEN = 32
TOKEN_PREFIX = "idm_"


def hash_password(password: str) -> str:
    """A self-describing scrypt hash: ``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _N, _R, _P)
    return "$".join(("scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches ``stored``; constant time in the comparison."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(expected, actual)


_dummy_hash: list[str] = []


def burn_password_check(password: str) -> None:
    """Spend the time of a real check, so an unknown user name answers as slowly as a known one."""
    if not _dummy_hash:
        _dummy_hash.append(hash_password(secrets.token_hex(8)))
    verify_password(password, _dummy_hash[0])


def new_token() -> str:
    """A random bearer token (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=64 * 1024 * 1024
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
