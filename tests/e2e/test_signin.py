"""Signing in, acknowledging and signing out in headless Chromium, against a `vault serve`
process; the guard-room screen signed in by its one-time link; hostile folder titles.

Accounts are made with `vault user` as an administrator would. Alarms are raised by recording
reads through the custody service into the same SQLite file the server reads. Screenshots of
each step are kept under `test-artifacts/screenshots/`.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import datetime
from itertools import count
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import databases
from tests.conftest import (
    PASSWORD,
    SAMPLE_CSV,
    add_user,
    free_port,
    run_vault,
    wait_until,
    write_config,
)
from tests.e2e.conftest import screenshot_folder, sign_in
from vault.db.models import Alarm, database
from vault.domain.model import Read, StationKind
from vault.services.custody import record_read

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
READS = count(1)


@pytest.fixture
def site(tmp_path, processes):
    """`vault serve` on a fresh archive (with a hostile title), a guard, and the database open
    in this process too; returns (base URL, config path)."""
    config = write_config(tmp_path, [{"id": "exit-1", "kind": "reading_exit", "port": "/dev/null"}])
    hostile = tmp_path / "hostile.csv"
    rows = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()[:1]
    lines = [*rows, f"WC-XSS-1,{HOSTILE},2001,secret,30年,A-01-01"]
    hostile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    run_vault(config, "import", str(hostile))
    add_user(config, "guard", "security")
    name = ("--name", "王保安")
    run_vault(config, "user", "add", "guard2", "--role", "security", *name, input=PASSWORD + "\n")
    port = free_port()
    processes.start(config, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(base + "/signin"), timeout=20, what="the web server")
    databases.open_archive(tmp_path)
    yield base, config
    database.close()
    database.initialize(None)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        return True
    except (urllib.error.URLError, ConnectionError):
        return False


def exit_read(code: str) -> int:
    """A read of the folder at the reading-room exit: one new alarm; returns its id."""
    read = Read("exit-1", StationKind.READING_EXIT, code, datetime.now())
    [alarm_id] = record_read(read, f"e2e-{next(READS)}").alarm_ids
    return alarm_id


@pytest.fixture
def shot(tmp_path):
    folder = screenshot_folder(tmp_path)

    def save(page: Page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def test_a_guard_signs_in_acknowledges_an_alarm_with_a_note_and_signs_out(site, browser, shot):
    base, _ = site
    alarm_id = exit_read("WC-TJ-2002-0137")
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/alarms")
    assert page.url == base + "/signin?next=/alarms"
    page.fill("input[name=username]", "guard2")
    page.fill("input[name=password]", "not-my-password")
    page.click("form.signin button")
    expect(page.locator("#signin-error")).to_contain_text("not right")
    shot(page, "1-wrong-password")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.signin button")
    page.wait_for_url(base + "/alarms")
    expect(page.locator("#who")).to_contain_text("王保安")
    page.wait_for_selector("#live.on")
    shot(page, "2-board")
    [cookie] = [c for c in context.cookies() if c["name"] == "vault_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    row = page.locator(f"tr[data-alarm-id='{alarm_id}']")
    row.locator("input[name=note]").fill("已追回，送回阅览室")
    row.locator("button").click()
    row.wait_for(state="detached")
    alarm = Alarm.get_by_id(alarm_id)
    assert (alarm.acknowledged_by, alarm.acknowledged_note) == ("guard2", "已追回，送回阅览室")

    page.click("form.signout button")
    page.wait_for_url(base + "/signin")
    shot(page, "3-signed-out")
    page.goto(base + "/alarms")
    assert page.url.startswith(base + "/signin?next=")
    context.close()


def test_hostile_folder_titles_are_text_on_the_board_never_markup(site, browser, shot):
    base, _ = site
    exit_read("WC-XSS-1")  # on the page the server renders
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, base, "guard")
    page.goto(base + "/alarms")
    page.wait_for_selector("#live.on")
    exit_read("WC-XSS-1")  # and one the page's script adds, live
    page.locator("tr.alarm").nth(1).wait_for()
    titles = page.locator("td.title").all_inner_texts()
    assert titles == [HOSTILE, HOSTILE]
    assert page.locator("img").count() == 0
    scripts = page.evaluate("Array.from(document.scripts, (s) => s.src)")
    assert scripts == [base + "/static/live.js", base + "/static/board.js"]
    time.sleep(0.3)  # an injected handler would have fired by now
    assert dialogs == []
    shot(page, "hostile-titles")
    page.close()


def test_a_screen_signs_in_by_its_link_and_can_only_watch_and_acknowledge(site, browser, shot):
    base, config = site
    run_vault(config, "user", "kiosk", "screen", "--name", "值班室大屏")
    link = run_vault(config, "user", "kiosk-link", "screen", "--url", base).stdout.strip()
    assert link.startswith(base + "/kiosk/")
    context = browser.new_context()
    page = context.new_page()
    page.goto(link)
    shot(page, "kiosk-1-link")
    page.click("form.signin button")
    page.wait_for_url(base + "/alarms")
    page.wait_for_selector("#live.on")
    expect(page.locator("#who")).to_contain_text("值班室大屏")
    assert page.locator("form.signout").count() == 0  # nobody in the room ends its session
    [cookie] = [c for c in context.cookies() if c["name"] == "vault_session"]
    assert cookie["expires"] > time.time() + 29 * 86400

    alarm_id = exit_read("WC-TJ-2002-0138")
    row = page.locator(f"tr[data-alarm-id='{alarm_id}']")
    row.locator("input[name=by]").fill("张三")
    row.locator("input[name=note]").fill("已核实，误报")
    shot(page, "kiosk-2-board")
    row.locator("button").click()
    row.wait_for(state="detached")
    assert Alarm.get_by_id(alarm_id).acknowledged_by == "张三 (at screen)"

    for path in ("/", "/api/alarms"):
        assert page.goto(base + path).status == 403, path
    shot(page, "kiosk-3-refused")
    again = browser.new_page()
    assert again.goto(link).status == 404  # the link worked once
    expect(again.locator("p.error")).to_contain_text("not valid")
    again.close()
    context.close()
