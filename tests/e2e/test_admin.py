"""The administration pages in headless Chromium against a `vault serve` process: the
administrator sees a station's figures change without reloading, adds an archivist through the
users page, and the archivist signs in with the password the administrator typed.

Screenshots of each step are kept under `test-artifacts/screenshots/`.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import databases
from tests.conftest import add_user, free_port, run_vault, wait_until, write_config
from tests.e2e.conftest import screenshot_folder, sign_in
from tests.e2e.test_signin import _answers
from vault.db.models import User, database
from vault.services import stations

ARCHIVIST_PASSWORD = "reading-room-2024"
HOURS = 'site_name = "城关档案室"\nopening_time = "08:30"\nclosing_time = "17:30"'


@pytest.fixture
def site(tmp_path, processes):
    """`vault serve` on a fresh archive with one station and an administrator; the database
    is open in this process too, to play the bridge's part."""
    door = {"id": "door-1", "kind": "warehouse_door", "port": "/dev/null", "heartbeat": 5}
    config = write_config(tmp_path, [door], extra=HOURS)
    run_vault(config, "init")
    add_user(config, "admin", "administrator")
    port = free_port()
    processes.start(config, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(base + "/signin"), timeout=20, what="the web server")
    databases.open_archive(tmp_path)
    yield base
    database.close()
    database.initialize(None)


def test_an_administrator_adds_an_archivist_who_then_signs_in(site, browser, tmp_path):
    shots = screenshot_folder(tmp_path)
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, site, "admin")
    page.goto(site + "/admin")
    expect(page.locator("#site-name")).to_have_text("城关档案室")
    expect(page.locator("#closing-time")).to_have_text("17:30")
    frames = page.locator("tr[data-station='door-1'] td[data-field='frames']")
    stations.set_status("door-1", "connected", "")
    figures = {"frames": 41, "reads": 17, "rejected": 0, "lost": 0, "last_read_at": None}
    stations.report_figures([{"station": "door-1", **figures}], backlog=0)
    expect(frames).to_have_text("41", timeout=15_000)  # the script's poll, no reload
    page.screenshot(path=str(shots / "1-admin.png"), full_page=True)

    page.goto(site + "/admin/users")
    form = page.locator("#add-user")
    form.locator("input[name=username]").fill("zhao")
    form.locator("input[name=name]").fill("赵敏")
    form.locator("select[name=role]").select_option("archivist")
    form.locator("input[name=password]").fill(ARCHIVIST_PASSWORD)
    form.locator("input[name=password2]").fill(ARCHIVIST_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("#admin-done")).to_be_visible()
    expect(page.locator("tr[data-username='zhao']")).to_contain_text("赵敏")
    page.screenshot(path=str(shots / "2-added.png"), full_page=True)
    assert User.get(User.username == "zhao").role == "archivist"
    page.click("form.signout button")
    page.wait_for_url(site + "/signin")

    sign_in(page, site, "zhao", ARCHIVIST_PASSWORD)
    expect(page.locator("#who")).to_contain_text("赵敏")
    assert page.goto(site + "/admin").status == 403  # not the archivist's page
    page.screenshot(path=str(shots / "3-archivist.png"), full_page=True)
    assert all((shots / f).stat().st_size > 0 for f in ("1-admin.png", "3-archivist.png"))
    context.close()
