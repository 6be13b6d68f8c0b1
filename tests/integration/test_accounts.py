"""Accounts, passwords, sign-in throttling and sessions, on a real SQLite file.

Times are passed in explicitly where the rule is about time (idle and absolute expiry, the
throttle's window), so nothing waits for a clock; the held-back answer is really slept.
"""

import base64
import logging
import time
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, run_vault, write_config
from vault.db.models import SignInAttempt, User, WebSession
from vault.services import accounts, sessions
from vault.services.accounts import SignInRefused, sign_in
from vault.services.clock import utcnow
from vault.services.errors import VaultError

HERE = "192.0.2.10"  # the address sign-ins come from


@pytest.fixture
def guard(db):
    return accounts.add_user("guard", "security", PASSWORD, display_name="王保安")


def test_a_password_is_kept_as_a_salted_scrypt_hash_that_names_its_cost(guard):
    stored = User.get(User.username == "guard").password_hash
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert PASSWORD not in stored
    assert accounts.verify_password(PASSWORD, stored)
    assert not accounts.verify_password(PASSWORD + "x", stored)
    assert accounts.hash_password(PASSWORD) != accounts.hash_password(PASSWORD)  # own salt


def test_a_stored_hash_that_is_empty_or_damaged_matches_nothing():
    for stored in ("", "scrypt", "md5$1$2$3$AAAA$AAAA", "scrypt$16384$8$1$!!$AAAA"):
        assert not accounts.verify_password("", stored)
        assert not accounts.verify_password(PASSWORD, stored)


def test_adding_users_refuses_what_cannot_work(guard):
    with pytest.raises(VaultError, match="too short"):
        accounts.add_user("leader", "leader", "nine char")
    with pytest.raises(VaultError, match="already a user named 'guard'"):
        accounts.add_user("guard", "leader", PASSWORD)
    with pytest.raises(VaultError, match="not a role"):
        accounts.add_user("reader", "reader", PASSWORD)
    with pytest.raises(VaultError, match="vault user kiosk"):
        accounts.add_user("screen", "kiosk", PASSWORD)
    with pytest.raises(VaultError, match="cannot be a username"):
        accounts.add_user("Zhang San", "archivist", PASSWORD)
    with pytest.raises(VaultError, match="zh or en"):
        accounts.add_user("zhang", "archivist", PASSWORD, language="fr")
    with pytest.raises(VaultError, match="no user named 'nobody'"):
        accounts.set_password("nobody", PASSWORD)
    with pytest.raises(VaultError, match="no user named 'nobody'"):
        accounts.disable_user("nobody")
    assert [u["username"] for u in accounts.list_users()] == ["guard"]


def test_signing_in_gives_a_session_for_the_right_password_only(guard):
    signed = sign_in("Guard ", PASSWORD, HERE)  # typed with a capital and a space
    visitor = sessions.resolve(signed.token)
    assert (visitor.username, visitor.display_name, visitor.role) == ("guard", "王保安", "security")
    assert not visitor.kiosk and len(visitor.csrf) >= 32
    # Only the token's hash is stored.
    assert WebSession.get_or_none(WebSession.token_hash == signed.token) is None
    with pytest.raises(SignInRefused, match="not right") as wrong:
        sign_in("guard", "not-the-password", HERE)
    with pytest.raises(SignInRefused) as unknown:
        sign_in("nobody", PASSWORD, HERE)
    assert str(wrong.value) == str(unknown.value)  # the same answer whether the user exists
    rows = [(a.username, a.succeeded) for a in SignInAttempt.select().order_by(SignInAttempt.id)]
    assert rows == [("guard", True), ("guard", False), ("nobody", False)]


def test_an_unknown_username_takes_as_long_as_a_wrong_password(guard):
    def timed(username: str) -> float:
        started = time.perf_counter()
        with pytest.raises(SignInRefused):
            sign_in(username, "not-the-password", HERE)
        return time.perf_counter() - started

    started = time.perf_counter()
    accounts.verify_password("x", accounts.hash_password("y"))
    one_hash = (time.perf_counter() - started) / 2
    assert timed("nobody-at-all") > one_hash * 0.5  # a dummy hash was checked


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(guard):
    token = sign_in("guard", PASSWORD, HERE).token
    assert accounts.disable_user("guard") == 1
    assert sessions.resolve(token) is None
    with pytest.raises(SignInRefused, match="not right"):
        sign_in("guard", PASSWORD, HERE)


def test_a_new_password_ends_the_sessions_the_old_one_opened(guard):
    token = sign_in("guard", PASSWORD, HERE).token
    accounts.set_password("guard", "a-brand-new-password")
    assert sessions.resolve(token) is None
    with pytest.raises(SignInRefused):
        sign_in("guard", PASSWORD, HERE)
    assert sessions.resolve(sign_in("guard", "a-brand-new-password", HERE).token)


def test_signing_out_ends_the_session_at_once(guard):
    token = sign_in("guard", PASSWORD, HERE).token
    sessions.end(token)
    assert sessions.resolve(token) is None


def test_repeated_failures_are_slowed_locked_and_logged(guard, caplog):
    caplog.set_level(logging.WARNING, logger="vault.web.auth")
    t0 = utcnow()
    for i in range(5):
        with pytest.raises(SignInRefused, match="not right") as refused:
            sign_in("guard", f"guess-number-{i}", HERE, now=t0 + timedelta(seconds=i))
        assert refused.value.waited == 0.0  # below the threshold, answered at once
    # Locked for a second after the fifth: even the right password is refused unchecked.
    with pytest.raises(SignInRefused, match="Too many failed sign-ins"):
        sign_in("guard", PASSWORD, HERE, now=t0 + timedelta(seconds=4.5))
    # Once the lock is over, the answer is still held back, and the right password works.
    started = time.monotonic()
    signed = sign_in("guard", PASSWORD, HERE, now=t0 + timedelta(seconds=30))
    assert signed.waited == 1.0 and time.monotonic() - started >= 1.0
    failures = [r.getMessage() for r in caplog.records if r.name == "vault.web.auth"]
    assert len(failures) == 6
    assert "failed sign-in for 'guard' from 192.0.2.10" in failures[0]
    assert "locked" in failures[5]
    assert SignInAttempt.select().where(SignInAttempt.succeeded == False).count() == 6  # noqa: E712
    # The successful sign-in starts the count again for that username.
    assert accounts.recent_failures("guard", "", t0 + timedelta(seconds=31)) == (0, None)


def test_guessing_many_usernames_from_one_address_locks_that_address(guard):
    t0 = utcnow()
    for i in range(5):
        with pytest.raises(SignInRefused):
            sign_in(f"user{i}", "whatever-it-is", HERE, now=t0)
    with pytest.raises(SignInRefused, match="Too many"):
        sign_in("guard", PASSWORD, HERE, now=t0 + timedelta(seconds=0.5))
    assert sign_in("guard", PASSWORD, "192.0.2.99", now=t0 + timedelta(seconds=0.5)).token
    # Fifteen minutes later the old failures no longer count.
    assert sign_in("guard", PASSWORD, HERE, now=t0 + timedelta(minutes=16)).waited == 0.0


def test_a_staff_session_ends_after_30_idle_minutes(guard):
    t0 = utcnow()
    token = sign_in("guard", PASSWORD, HERE, now=t0).token
    assert sessions.resolve(token, t0 + timedelta(minutes=29))  # a request: counts as activity
    assert sessions.resolve(token, t0 + timedelta(minutes=58))
    assert sessions.resolve(token, t0 + timedelta(minutes=89)) is None


def test_a_staff_session_ends_12_hours_after_sign_in_however_busy(guard):
    t0 = utcnow()
    token = sign_in("guard", PASSWORD, HERE, now=t0).token
    for minutes in range(20, 12 * 60, 20):
        assert sessions.resolve(token, t0 + timedelta(minutes=minutes)), minutes
    assert sessions.resolve(token, t0 + timedelta(hours=12, seconds=1)) is None


def test_watching_the_board_is_not_activity(guard):
    t0 = utcnow()
    token = sign_in("guard", PASSWORD, HERE, now=t0).token
    hashed = sessions.token_hash(token)
    assert sessions.is_live(hashed, t0 + timedelta(minutes=29))
    assert not sessions.is_live(hashed, t0 + timedelta(minutes=31))


def test_a_screen_signs_in_once_by_link_and_stays_signed_in_for_30_days(db):
    screen = accounts.add_kiosk("screen", "值班室大屏")
    t0 = utcnow()
    link = sessions.new_kiosk_link("screen", now=t0)
    assert sessions.kiosk_link_account(link, t0).username == "screen"
    token = sessions.use_kiosk_link(link, now=t0 + timedelta(minutes=1))
    with pytest.raises(VaultError, match="not valid"):
        sessions.use_kiosk_link(link, now=t0 + timedelta(minutes=2))  # a link works once
    visitor = sessions.resolve(token, t0 + timedelta(days=10))  # nobody touched it for days
    assert (visitor.role, visitor.kiosk, visitor.display_name) == ("kiosk", True, "值班室大屏")
    assert sessions.resolve(token, t0 + timedelta(days=30, minutes=2)) is None
    # A screen has no password to sign in with.
    with pytest.raises(SignInRefused):
        sign_in("screen", "", HERE)
    assert sessions.end_all(screen) == 1


def test_a_screen_link_expires_after_10_minutes_and_only_screens_get_links(guard):
    accounts.add_kiosk("screen")
    t0 = utcnow()
    link = sessions.new_kiosk_link("screen", now=t0)
    assert sessions.kiosk_link_account(link, t0 + timedelta(minutes=11)) is None
    with pytest.raises(VaultError, match="more than 10 minutes old"):
        sessions.use_kiosk_link(link, now=t0 + timedelta(minutes=11))
    with pytest.raises(VaultError, match="no guard-room screen account 'guard'"):
        sessions.new_kiosk_link("guard")
    unused = sessions.new_kiosk_link("screen")
    accounts.disable_user("screen")
    with pytest.raises(VaultError, match="not valid"):
        sessions.use_kiosk_link(unused)
    with pytest.raises(VaultError, match="disabled"):
        sessions.new_kiosk_link("screen")


def test_the_user_commands_add_list_change_and_disable_accounts(tmp_path):
    config = write_config(tmp_path, [])
    run_vault(config, "init")
    leader = ("user", "add", "li", "--role", "leader", "--name", "李局长")
    added = run_vault(config, *leader, input=PASSWORD + "\n")
    assert added.stdout.strip() == "added li (李局长), role leader"
    again = run_vault(config, *leader, input=PASSWORD + "\n", check=False)
    assert (again.returncode, again.stderr) == (2, "vault: there is already a user named 'li'\n")
    archivist = ("user", "add", "wu", "--role", "archivist")
    short = run_vault(config, *archivist, input="short\n", check=False)
    assert short.returncode == 2 and "too short" in short.stderr
    run_vault(config, "user", "kiosk", "screen")
    listing = run_vault(config, "user", "list").stdout.splitlines()
    assert [line.split()[:3] for line in listing[:2]] == [
        ["li", "leader", "active"],
        ["screen", "kiosk", "active"],
    ]
    changed = run_vault(config, "user", "passwd", "li", input="another-long-password\n")
    assert "password of li changed" in changed.stdout
    assert run_vault(config, "user", "disable", "li").stdout.strip() == (
        "li is disabled; 0 session(s) ended"
    )
    listing = run_vault(config, "user", "list").stdout.splitlines()
    assert listing[0].split()[:3] == ["li", "leader", "disabled"]
    missing = run_vault(config, "user", "passwd", "nobody", input="whatever-long\n", check=False)
    assert missing.stderr == "vault: there is no user named 'nobody'\n"
    link = run_vault(config, "user", "kiosk-link", "screen", "--url", "http://10.0.0.2:8080/")
    assert link.stdout.startswith("http://10.0.0.2:8080/kiosk/")
    assert "within 10 minutes" in link.stderr
