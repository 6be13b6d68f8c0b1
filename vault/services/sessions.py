"""Server-side web sessions: started at sign-in, found again from the cookie, ended at sign-out.

The browser holds only a random token; the database holds its SHA-256, so neither a copy of the
database nor a log line is enough to act as someone. Each session carries its own token for
forms (the synchronizer token against cross-site forgery). Staff sessions end 12 hours after
sign-in or after 30 minutes without a request; the guard-room screen (a kiosk session) lasts 30
days and is started by a one-time link, because nobody types a password on a wall screen.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from vault.db.models import KioskLink, User, WebSession, database
from vault.domain.access import Role
from vault.services.clock import utcnow
from vault.services.errors import VaultError

STAFF_LIFETIME = timedelta(hours=12)
STAFF_IDLE = timedelta(minutes=30)
KIOSK_LIFETIME = timedelta(days=30)
LINK_LIFETIME = timedelta(minutes=10)
# last_seen_at is written at most this often, so reading pages does not mean a commit each time.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Visitor:
    """The signed-in person (or screen) behind a request, as the pages need it."""

    username: str
    display_name: str
    role: str
    language: str
    kiosk: bool
    csrf: str  # the token every form of this session must send back
    token_hash: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start(user: User, now: datetime | None = None) -> str:
    """A new session for `user`; returns the token for the cookie (stored nowhere else)."""
    now = now or utcnow()
    kiosk = user.role == Role.KIOSK
    token = secrets.token_urlsafe(32)
    WebSession.create(
        token_hash=token_hash(token),
        user=user,
        kiosk=kiosk,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + (KIOSK_LIFETIME if kiosk else STAFF_LIFETIME),
    )
    return token


def resolve(token: str | None, now: datetime | None = None) -> Visitor | None:
    """The visitor a cookie's token belongs to, or None if it is unknown, ended or expired."""
    if not token:
        return None
    now = now or utcnow()
    session = _live(token_hash(token), now)
    if session is None:
        return None
    if now - session.last_seen_at >= TOUCH_EVERY:
        with database.atomic():
            WebSession.update(last_seen_at=now).where(WebSession.id == session.id).execute()
    user = session.user
    return Visitor(
        username=user.username,
        display_name=user.display_name or user.username,
        role=user.role,
        language=user.language,
        kiosk=session.kiosk,
        csrf=session.csrf_token,
        token_hash=session.token_hash,
    )


def is_live(hashed: str, now: datetime | None = None) -> bool:
    """Whether the session is still good, without counting this as activity (the live board
    asks this while it streams, and watching is not a request made by a person)."""
    return _live(hashed, now or utcnow()) is not None


def _live(hashed: str, now: datetime) -> WebSession | None:
    session = (
        WebSession.select(WebSession, User)
        .join(User)
        .where(
            WebSession.token_hash == hashed,
            WebSession.revoked_at.is_null(),
            WebSession.expires_at > now,
            User.disabled == False,  # noqa: E712 - peewee builds SQL from the comparison
        )
        .first()
    )
    if session is None:
        return None
    if not session.kiosk and now - session.last_seen_at > STAFF_IDLE:
        return None
    return session


def end(token: str | None, now: datetime | None = None) -> None:
    """Sign out: the token stops working at once, whatever its expiry."""
    if not token:
        return
    with database.atomic():
        WebSession.update(revoked_at=now or utcnow()).where(
            WebSession.token_hash == token_hash(token), WebSession.revoked_at.is_null()
        ).execute()


def end_all(user: User, now: datetime | None = None) -> int:
    """End every session of a user and void their unused screen links; returns how many."""
    now = now or utcnow()
    with database.atomic():
        KioskLink.update(used_at=now).where(
            KioskLink.user == user, KioskLink.used_at.is_null()
        ).execute()
        return (
            WebSession.update(revoked_at=now)
            .where(WebSession.user == user, WebSession.revoked_at.is_null())
            .execute()
        )


def new_kiosk_link(username: str, now: datetime | None = None) -> str:
    """A single-use token for the screen's sign-in link, good for 10 minutes."""
    now = now or utcnow()
    user = User.get_or_none(User.username == username)
    if user is None or user.role != Role.KIOSK:
        raise VaultError(
            f"there is no guard-room screen account {username!r}: "
            f"create one with `vault user kiosk {username}`"
        )
    if user.disabled:
        raise VaultError(f"the screen account {username!r} is disabled")
    token = secrets.token_urlsafe(32)
    with database.atomic():
        KioskLink.create(
            token_hash=token_hash(token), user=user, created_at=now, expires_at=now + LINK_LIFETIME
        )
    return token


def kiosk_link_account(token: str, now: datetime | None = None) -> User | None:
    """The screen account an unused, unexpired link signs in as (the page asks to confirm)."""
    link = _usable_link(token, now or utcnow())
    return link.user if link else None


def use_kiosk_link(token: str, now: datetime | None = None) -> str:
    """Spend the link: returns a new kiosk session's token; a second use is refused."""
    now = now or utcnow()
    with database.atomic():
        link = _usable_link(token, now)
        if link is None:
            raise VaultError(
                "this sign-in link is not valid: it was used already or is more than "
                "10 minutes old. Ask an administrator for a new one."
            )
        spent = (
            KioskLink.update(used_at=now)
            .where(KioskLink.id == link.id, KioskLink.used_at.is_null())
            .execute()
        )
        if spent != 1:
            raise VaultError("this sign-in link was used already")
        return start(link.user, now)


def _usable_link(token: str, now: datetime) -> KioskLink | None:
    return (
        KioskLink.select(KioskLink, User)
        .join(User)
        .where(
            KioskLink.token_hash == token_hash(token),
            KioskLink.used_at.is_null(),
            KioskLink.expires_at > now,
            User.disabled == False,  # noqa: E712
        )
        .first()
    )
