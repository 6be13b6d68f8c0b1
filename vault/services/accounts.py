"""Accounts: adding people, their passwords, disabling them, and signing in.

Passwords are kept only as scrypt hashes (memory-hard, Python's standard library), written as a
self-describing string so the cost can be raised later without breaking older hashes. Signing in
gives the same answer, in about the same time, whether the username exists or not. Failed
attempts are logged and recorded; past five in 15 minutes for one username or one address, each
further attempt is held back and the account or address is locked for a while after each
failure (`vault.domain.access` has the numbers).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import logging
import math
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import fn

from vault.db.models import SignInAttempt, User, database
from vault.domain import access
from vault.domain.access import Role
from vault.services import sessions
from vault.services.clock import utcnow
from vault.services.errors import VaultError

log = logging.getLogger("vault.web.auth")

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
LANGUAGES = ("zh", "en")
WRONG = "The username or password is not right, or the account is disabled."


class SignInRefused(VaultError):
    """A sign-in that failed; `waited` is how long the answer was held back, in seconds."""

    def __init__(self, message: str, waited: float = 0.0):
        super().__init__(message)
        self.waited = waited


@dataclass(frozen=True)
class SignedIn:
    token: str  # for the session cookie
    username: str
    waited: float  # seconds the answer was held back after earlier failures


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """Check a password against a stored hash; a malformed or empty hash matches nothing."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(password, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    memory = 128 * r * n * p + 2**20  # what scrypt needs, with room to spare
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=memory, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@functools.cache
def _dummy_hash() -> str:
    """Checked when the username is unknown, so that answer takes as long as a wrong password."""
    return hash_password(secrets.token_urlsafe(16))


def add_user(
    username: str, role: str, password: str, display_name: str = "", language: str = "zh"
) -> User:
    """A person who signs in with a password (the guard-room screen: `add_kiosk`)."""
    if role == Role.KIOSK:
        raise VaultError("a guard-room screen has no password: create it with `vault user kiosk`")
    if role not in access.STAFF:
        roles = ", ".join(sorted(access.STAFF))
        raise VaultError(f"{role!r} is not a role; the roles are {roles}")
    _check_password(username, password)
    return _create(username, role, hash_password(password), display_name, language)


def add_kiosk(username: str, display_name: str = "") -> User:
    """An account for a guard-room screen: no password, signed in by a one-time link."""
    return _create(username, Role.KIOSK, "", display_name or "Guard-room screen", "zh")


def _create(username: str, role: str, hashed: str, display_name: str, language: str) -> User:
    if not USERNAME.match(username):
        raise VaultError(
            f"{username!r} cannot be a username: use 1 to 40 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
    if language not in LANGUAGES:
        raise VaultError(f"the language must be zh or en, not {language!r}")
    now = utcnow()
    with database.atomic():
        if User.get_or_none(User.username == username) is not None:
            raise VaultError(f"there is already a user named {username!r}")
        return User.create(
            username=username,
            display_name=display_name.strip() or username,
            role=role,
            password_hash=hashed,
            language=language,
            created_at=now,
            password_changed_at=now if hashed else None,
        )


def _check_password(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise VaultError(
            f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters"
        )
    if password.strip().lower() == username.lower():
        raise VaultError("the password must not be the username")


def user_named(username: str) -> User:
    user = User.get_or_none(User.username == username)
    if user is None:
        raise VaultError(f"there is no user named {username!r}")
    return user


def set_password(username: str, password: str) -> None:
    """Change a password; every session the old one opened ends."""
    user = user_named(username)
    if user.role == Role.KIOSK:
        raise VaultError(f"{username!r} is a guard-room screen: it signs in by link, not password")
    _check_password(username, password)
    with database.atomic():
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
        user.save()
        sessions.end_all(user)


def disable_user(username: str) -> int:
    """Stop an account signing in; its sessions end at once. Returns how many ended."""
    user = user_named(username)
    with database.atomic():
        user.disabled = True
        user.save()
        return sessions.end_all(user)


def list_users() -> list[dict]:
    return [
        {
            "username": u.username,
            "name": u.display_name,
            "role": u.role,
            "language": u.language,
            "disabled": u.disabled,
            "password_changed_at": u.password_changed_at,
        }
        for u in User.select().order_by(User.username)
    ]


def last_sign_ins() -> dict[str, datetime]:
    """Each username's latest successful sign-in (the attempts table keeps them all; a screen
    signed in by link has none)."""
    latest = fn.MAX(SignInAttempt.at)
    query = (
        SignInAttempt.select(SignInAttempt.username, latest.alias("at"))
        .where(SignInAttempt.succeeded == True)  # noqa: E712 - peewee builds SQL from it
        .group_by(SignInAttempt.username)
    )
    return {row.username: row.at for row in query}


def sign_in(username: str, password: str, address: str, now: datetime | None = None) -> SignedIn:
    """Check a password and start a session; refused attempts raise SignInRefused."""
    now = now or utcnow()
    user, hold = confirm_password(username, password, address, now)
    with database.atomic():
        SignInAttempt.create(username=user.username, address=address, at=now, succeeded=True)
        token = sessions.start(user, now)
    log.info("%r signed in from %s", user.username, address)
    return SignedIn(token, user.username, hold)


def confirm_password(
    username: str, password: str, address: str, now: datetime | None = None
) -> tuple[User, float]:
    """A person's own password, checked as at sign-in (the same slowing down and locking after
    failures, each failure logged) but starting no session: signing in, and a second member of
    staff confirming an issue at the desk. Returns the account and how long the answer was held.
    """
    now = now or utcnow()
    username = username.strip().lower()[:80]
    failures, latest = recent_failures(username, address, now)
    locked = access.lock_seconds(failures)
    if latest is not None and (now - latest).total_seconds() < locked:
        wait = math.ceil(locked - (now - latest).total_seconds())
        _failed(username, address, now, failures, "locked")
        raise SignInRefused(
            "Too many failed sign-ins for this account or from this computer: "
            f"wait {wait} seconds and try again."
        )
    started = time.monotonic()
    hold = access.hold_seconds(failures)
    user = User.get_or_none(User.username == username)
    usable = user is not None and bool(user.password_hash) and not user.disabled
    matches = verify_password(password, user.password_hash if usable else _dummy_hash())
    time.sleep(max(0.0, hold - (time.monotonic() - started)))
    if not (usable and matches):
        _failed(username, address, now, failures, "wrong password or no such account")
        raise SignInRefused(WRONG, waited=hold)
    return user, hold


def _failed(username: str, address: str, now: datetime, before: int, why: str) -> None:
    with database.atomic():
        SignInAttempt.create(username=username, address=address, at=now, succeeded=False)
    log.warning(
        "failed sign-in for %r from %s (%s; %d failed in the last 15 minutes)",
        username,
        address,
        why,
        before + 1,
    )


def recent_failures(username: str, address: str, now: datetime) -> tuple[int, datetime | None]:
    """Failed attempts for this username or from this address (whichever has more) since the
    window began or since that name or address last signed in, and the latest one's time."""
    keys = [(SignInAttempt.username, username)]
    if address:
        keys.append((SignInAttempt.address, address))
    worst, latest = 0, None
    window = now - timedelta(seconds=access.FAILURE_WINDOW_SECONDS)
    for column, value in keys:
        since = window
        success = _attempts(column, value, since, True).first()
        if success is not None:
            since = max(since, success.at)
        failed = _attempts(column, value, since, False)
        count = failed.count()
        if count:
            worst = max(worst, count)
            newest = failed.first().at
            latest = newest if latest is None else max(latest, newest)
    return worst, latest


def _attempts(column, value: str, since: datetime, succeeded: bool):
    return (
        SignInAttempt.select(SignInAttempt.at)
        .where(column == value, SignInAttempt.at > since, SignInAttempt.succeeded == succeeded)
        .order_by(SignInAttempt.at.desc())
    )
