"""Sign-in budgets: how many password guesses a key may make, counted before the password is
checked, in one transaction with the check that it may (so concurrent guesses cannot slip past).

A sign-in spends from these keys (hashes, never the typed name in clear):

- a device that signed in before (it sends its secret): its own budget only. Guesses from
  anywhere else never touch it, so nobody can lock a delegate out of a computer they already use;
- any other sign-in: the user name from this address, the user name from anywhere, and this
  address for any name.

Each key has a number of free failures; past it, every failure doubles a wait (``login_backoff``,
1 s, then 2 s, 4 s…, at most ``login_window``) during which that key is answered 429 without a
password check. A right password clears the key it was typed under (and gives back what it spent
elsewhere). A key forgets its failures after four quiet windows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from idm_desktop.server.config import Settings
from idm_desktop.server.database import Database
from idm_desktop.server.errors import TooManyAttempts
from idm_desktop.server.models import KnownDevice, LoginBudget, User, utcnow

FREE_PER_USER_AND_ADDRESS = 5
FREE_PER_DEVICE = 10
_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Budget:
    key: str
    free: int
    own: bool  # cleared by a right password (else only given back what this sign-in spent)


def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def device_hash(secret: str) -> str:
    return hashlib.sha256(("device:" + secret).encode("utf-8")).hexdigest()


def budgets(db: Database, settings: Settings, username: str, address: str,
            device_secret: str | None) -> list[Budget]:
    """The budgets a sign-in spends from."""
    if device_secret:
        with db.read() as session:
            known = session.scalar(
                select(KnownDevice.secret_hash).join(User, User.id == KnownDevice.user_id)
                .where(KnownDevice.secret_hash == device_hash(device_secret), User.username == username))
        if known is not None:
            return [Budget(f"d:{known[:40]}", FREE_PER_DEVICE, own=True)]
    user = _h("user:" + username)
    return [Budget(f"ua:{user}:{_h('addr:' + address)}", FREE_PER_USER_AND_ADDRESS, own=True),
            Budget(f"u:{user}", settings.max_failures_per_user, own=False),
            Budget(f"a:{_h('addr:' + address)}", settings.max_failures_per_address, own=False)]


def spend(db: Database, settings: Settings, spent: Sequence[Budget]) -> None:
    """Count one guess against every budget, or raise 429 (nothing counted) when one is waiting."""
    for attempt in range(_ATTEMPTS):
        try:
            with db.write() as session:
                now = utcnow()
                rows = []
                for budget in spent:
                    row = session.scalars(db.lock(select(LoginBudget).where(LoginBudget.key == budget.key))
                                          ).first()
                    if row is None:
                        row = LoginBudget(key=budget.key, failures=0, last_at=now, blocked_until=None)
                        session.add(row)
                        session.flush()  # a concurrent first guess makes this fail: start again
                    elif _aware(row.last_at) < now - 4 * settings.login_window:
                        row.failures, row.blocked_until = 0, None
                    if row.blocked_until is not None and _aware(row.blocked_until) > now:
                        wait = math.ceil((_aware(row.blocked_until) - now).total_seconds())
                        raise TooManyAttempts(
                            f"Too many failed sign-ins: wait {_wait_text(wait)} and try again.",
                            headers={"Retry-After": str(wait)})
                    rows.append((budget, row))
                for budget, row in rows:
                    row.failures += 1
                    row.last_at = now
                    over = row.failures - budget.free
                    if over > 0:
                        row.blocked_until = now + min(settings.login_backoff * 2 ** (over - 1),
                                                      settings.login_window)
                # Budgets nobody used for long are of no use: keep the table small.
                session.execute(delete(LoginBudget).where(
                    LoginBudget.last_at < now - 4 * settings.login_window,
                    LoginBudget.key.not_in([b.key for b in spent])))
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
        else:
            return


def give_back(db: Database, spent: Sequence[Budget]) -> None:
    """The password was right: clear the budget it was typed under, give back the others' guess."""
    with db.write() as session:
        for budget in spent:
            row = session.scalars(db.lock(select(LoginBudget).where(LoginBudget.key == budget.key))).first()
            if row is None:
                continue
            if budget.own:
                session.delete(row)
            else:
                row.failures = max(0, row.failures - 1)


def _wait_text(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
