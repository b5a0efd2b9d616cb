"""Users, sign-in and tokens (the budget of guesses is server/throttle.py)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from idm_desktop.core.clearance import ClearancePolicy, Role, may_edit, parse_roles
from idm_desktop.core.countries import country
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import N_
from idm_desktop.protocol import AccountInfo
from idm_desktop.protocol.signing import fingerprint
from idm_desktop.server.config import Settings
from idm_desktop.server.errors import AdminError, Invalid, Unauthorized
from idm_desktop.server.models import Delegation, Device, KnownDevice, Token, User, utcnow
from idm_desktop.server.security import (
    burn_password_check,
    hash_password,
    new_token,
    token_hash,
    verify_password,
)
from idm_desktop.server.throttle import device_hash

# Touch last_used_at at most this often, so that a poll is a read, not a write.
_TOUCH_EVERY = dt.timedelta(minutes=5)
MIN_PASSWORD_CHARS = 10
TOO_SHORT = N_("The password is too short: use at least {n} characters.")
UNKNOWN_COUNTRY = N_("Unknown country code “{code}”: use the ISO 3166-1 alpha-3 code, e.g. CHE, FRA, MEX.")


@dataclass(frozen=True, slots=True)
class Caller:
    """The signed-in user behind a request."""

    user_id: int
    username: str
    role: Role
    delegation: str | None
    token_id: int
    device_id: str | None = None  # the device key the token was issued to (DESIGN §15)
    roles: frozenset[Role] = frozenset()

    @property
    def is_secretariat(self) -> bool:
        return self.role is Role.SECRETARIAT

    @property
    def may_write_submissions(self) -> bool:
        """Drafters and submitters write their delegation's submissions; reviewers only comment."""
        return may_edit(self.roles or {self.role})


def parse_role_list(roles: Iterable[str]) -> list[Role]:
    """Roles named on a command line ("drafter", "reviewer,submitter"), in order, once each."""
    out: list[Role] = []
    for item in roles:
        for name in str(item).split(","):
            name = name.strip()
            if not name:
                continue
            try:
                role = Role(name)
            except ValueError:
                raise AdminError(N_("Unknown role “{name}”: use drafter, reviewer, submitter or "
                                    "secretariat."), params={"name": name}, field="role") from None
            if role not in out:
                out.append(role)
    if not out:
        raise AdminError(N_("Give at least one role: drafter, reviewer, submitter or secretariat."),
                         field="role")
    return out


def _check_roles(roles: list[Role], delegation: str | None) -> str | None:
    """The delegation's code for a user with ``roles``; a clear line when they do not fit."""
    if Role.SECRETARIAT in roles:
        if len(roles) > 1:
            raise AdminError(N_("The secretariat role goes alone: a delegation's roles are drafter, "
                                "reviewer and submitter."), field="role")
        if delegation:
            raise AdminError(N_("Secretariat users belong to no delegation: leave the delegation out."),
                             field="delegation")
        return None
    if not delegation:
        raise AdminError(N_("A {role} belongs to a delegation: give its country code (ISO3, e.g. MEX)."),
                         params={"role": roles[0].value}, field="delegation")
    try:
        return country(delegation).alpha3
    except InvalidInputError:
        raise AdminError(UNKNOWN_COUNTRY, params={"code": delegation.strip()}, field="delegation") from None


def user_roles(user: User) -> list[str]:
    """A user's roles (a user made before roles existed has the one in ``role``)."""
    return [r for r in (user.roles or user.role).split(",") if r]


def add_user(session: Session, username: str, password: str, role: str | Iterable[str],
             delegation: str | None) -> User:
    """Create an account; raises :class:`AdminError` with a clear line when it cannot."""
    username = username.strip()
    if not username or len(username) > 200 or any(c.isspace() for c in username):
        raise AdminError(N_("A user name is 1 to 200 characters without spaces."), field="name")
    roles = parse_role_list([role] if isinstance(role, str) else role)
    code = _check_roles(roles, delegation)
    the_role = roles[0]
    if len(password) < MIN_PASSWORD_CHARS:
        raise AdminError(TOO_SHORT, params={"n": MIN_PASSWORD_CHARS}, field="password")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AdminError(N_("User “{username}” already exists: choose another name."),
                         params={"username": username}, field="name")
    user = User(username=username, password_hash=hash_password(password), role=the_role.value,
                roles=",".join(r.value for r in roles), delegation=code)
    session.add(user)
    session.flush()
    return user


def set_roles(session: Session, username: str, roles: Iterable[str]) -> User:
    """Give a user other roles (their tokens stay valid and carry the new roles at once)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AdminError(f"No user {username!r}: see `idm-server admin list-users`.")
    wanted = parse_role_list(roles)
    _check_roles(wanted, user.delegation)
    user.role, user.roles = wanted[0].value, ",".join(r.value for r in wanted)
    session.flush()
    return user


def clearance_policy(session: Session, delegation: str | None) -> ClearancePolicy:
    """The delegation's clearance policy (optional unless set otherwise)."""
    if not delegation:
        return ClearancePolicy.OPTIONAL
    row = session.get(Delegation, delegation)
    return ClearancePolicy(row.clearance) if row is not None else ClearancePolicy.OPTIONAL


def submitters(session: Session, delegation: str | None) -> list[str]:
    """The user names of the delegation's submitters (accounts not disabled), sorted: the
    delegation's own members are told who may send their texts (DESIGN §13)."""
    if not delegation:
        return []
    rows = session.execute(select(User.username, User.roles, User.role)
                           .where(User.delegation == delegation, User.disabled.is_(False)))
    return sorted(name for name, roles, role in rows
                  if Role.SUBMITTER.value in (roles or role).split(","))


def set_delegation(session: Session, iso3: str, clearance: str) -> Delegation:
    """Set a delegation's clearance policy (making its row when it has none)."""
    try:
        code = country(iso3).alpha3
    except InvalidInputError as err:
        raise AdminError(str(err)) from None
    try:
        policy = ClearancePolicy(clearance)
    except ValueError:
        raise AdminError(f"Unknown clearance policy {clearance!r}: use required or optional.") from None
    row = session.get(Delegation, code)
    if row is None:
        row = Delegation(iso3=code, clearance=policy.value)
        session.add(row)
    else:
        row.clearance = policy.value
    session.flush()
    return row


def sign_in(
    session: Session, settings: Settings, username: str, password: str, device_name: str,
    device_secret: str | None = None, device_key: str | None = None,
) -> tuple[str, Token, User] | None:
    """Check the password and issue a token; None when the password is wrong. The guess was
    counted before (server/throttle.py); ``device_secret`` makes the device a known one;
    ``device_key`` (base64 of an Ed25519 public key) is registered as the token's device."""
    user = check_password(session, username, password)
    if user is None:
        return None
    token = new_token()
    now = utcnow()
    if device_secret:
        secret = device_hash(device_secret)
        known = session.get(KnownDevice, secret)
        if known is None:
            session.add(KnownDevice(secret_hash=secret, user_id=user.id, last_sign_in=now))
        elif known.user_id == user.id:
            known.last_sign_in = now
    device = register_device(session, user, device_name, device_key, now) if device_key else None
    row = Token(token_hash=token_hash(token), user_id=user.id, device_name=device_name,
                created_at=now, expires_at=now + settings.token_ttl, device_id=device)
    session.add(row)
    session.flush()
    return token, row, user


def register_device(session: Session, user: User, name: str, public_key: str, now: dt.datetime) -> str:
    """Register ``public_key`` as a device of ``user`` (again: it is seen now); returns its id."""
    try:
        raw = base64.b64decode(public_key, validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, binascii.Error):
        raise Invalid("The device key is not an Ed25519 public key.", "bad_device_key") from None
    ident = fingerprint(raw)
    device = session.get(Device, ident)
    if device is None:
        session.add(Device(id=ident, user_id=user.id, name=name[:200], public_key=public_key,
                           created_at=now, last_seen_at=now))
        session.flush()
    elif device.user_id != user.id or device.revoked_at is not None:
        raise Invalid("This device key cannot be registered again: sign in from a new library.",
                      "device_refused")
    else:
        device.last_seen_at = now
    return ident


def list_devices(session: Session) -> list[tuple[Device, str]]:
    """Every registered device with its user's name, newest first."""
    rows = session.execute(select(Device, User.username).join(User, User.id == Device.user_id)
                           .order_by(Device.created_at.desc())).all()
    return [(d, u) for d, u in rows]


def revoke_device(session: Session, ident: str) -> Device:
    """Refuse the device's bundles from now on and sign it out (its tokens revoked)."""
    device = session.get(Device, ident.strip().lower())
    if device is None:
        raise AdminError(f"No device {ident!r}: see `idm-server admin list-devices`.")
    now = utcnow()
    device.revoked_at = device.revoked_at or now
    session.execute(update(Token).where(Token.device_id == device.id, Token.revoked_at.is_(None))
                    .values(revoked_at=now))
    return device


def check_password(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (in the time a real check takes)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        burn_password_check(password)
    if user is None or user.disabled or not verify_password(password, user.password_hash):
        return None
    return user


CALLER_QUERY = (
    select(Token.id, Token.revoked_at, Token.expires_at, Token.last_used_at,
           User.id, User.username, User.role, User.delegation, User.disabled, Token.device_id,
           User.roles, Device.revoked_at)
    .join(User, User.id == Token.user_id)
    .outerjoin(Device, Device.id == Token.device_id)
    .where(Token.token_hash == bindparam("token_hash"))
)
"""The one statement that authenticates, built once (every request runs it): plain columns, not
ORM objects. Run it with :func:`caller_params`; a caller may add columns (the changes route adds
the feed's head) and hand the row to :func:`caller_from_row`."""


def caller_params(token: str) -> dict[str, str]:
    return {"token_hash": token_hash(token)}


def caller_from_row(row: Row[*tuple[Any, ...]] | tuple[Any, ...] | None) -> tuple[Caller, bool]:
    """The caller in a row of :func:`caller_query`, and whether the token's last use should be
    written down; 401 when there is none or it may no longer be used."""
    if row is None:
        raise Unauthorized()
    (token_id, revoked_at, expires_at, last_used_at, user_id, username, role, delegation, disabled,
     device_id, roles, device_revoked_at) = row[:12]
    now = utcnow()
    # The desktop tells its user why (and refuses to write bundles for a revoked device).
    if device_revoked_at is not None:
        raise Unauthorized("The secretariat revoked this device: sign in again.", "device_revoked")
    if revoked_at is not None:
        raise Unauthorized("The token was revoked: sign in again.", "token_revoked")
    if _aware(expires_at) <= now or disabled:
        raise Unauthorized()
    caller = Caller(user_id=user_id, username=username, role=Role(role), delegation=delegation,
                    token_id=token_id, device_id=device_id,
                    roles=parse_roles((roles or role).split(",")))
    stale = last_used_at is None or _aware(last_used_at) < now - _TOUCH_EVERY
    return caller, stale


def authenticate(session: Session, token: str) -> tuple[Caller, bool]:
    """The caller behind ``token``, and whether its last use should be written down."""
    return caller_from_row(session.execute(CALLER_QUERY, caller_params(token)).first())


def account_info(session: Session, token: str) -> AccountInfo | None:
    """Who ``token`` belongs to, with roles and policy; None when it may not be used."""
    try:
        caller, _stale = authenticate(session, token)
    except Unauthorized:
        return None
    roles = sorted(r.value for r in caller.roles) or [caller.role.value]
    return AccountInfo(user=caller.username, roles=roles, delegation=caller.delegation,
                       clearance=clearance_policy(session, caller.delegation).value,
                       submitters=submitters(session, caller.delegation))


def touch(session: Session, token_id: int) -> None:
    session.execute(update(Token).where(Token.id == token_id).values(last_used_at=utcnow()))


def revoke_token(session: Session, token_id: int) -> None:
    session.execute(update(Token).where(Token.id == token_id).values(revoked_at=utcnow()))


def reset_password(session: Session, username: str, password: str) -> tuple[User, int]:
    """Give ``username`` a new password and revoke every token it had: (the user, tokens revoked)."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AdminError(TOO_SHORT, params={"n": MIN_PASSWORD_CHARS}, field="password")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AdminError(f"No user {username!r}: see `idm-server admin list-users`.")
    user.password_hash = hash_password(password)
    return user, revoke_all(session, username)


def revoke_all(session: Session, username: str) -> int:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AdminError(f"No user {username!r}: see `idm-server admin list-users`.")
    result = session.execute(
        update(Token).where(Token.user_id == user.id, Token.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _aware(value: dt.datetime | str) -> dt.datetime:
    """SQLite gives datetimes back without their time zone (and as text to
    :meth:`Database.fetch_one`); they were written in UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
