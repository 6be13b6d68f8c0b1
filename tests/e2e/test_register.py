"""The register in headless Chromium: an archivist searches a Chinese title, opens the folder's
page and reads its custody timeline, recorded by `record_read` as the bridge records reads.

`vault serve` runs as a process on a fresh archive made with the `vault` command. Screenshots
go to `test-artifacts/screenshots/`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import databases
from tests.conftest import PASSWORD, SAMPLE_CSV, free_port, run_vault, wait_until, write_config
from tests.e2e.conftest import screenshot_folder, sign_in
from tests.e2e.test_signin import _answers
from vault.db.models import database
from vault.domain.model import Read, StationKind
from vault.services.clock import utcnow
from vault.services.custody import record_read

CODE = "WC-TJ-2002-0137"


@pytest.fixture
def register_site(tmp_path, processes):
    """The web server on the sample archive, an approved request and an archivist; three reads
    of one folder: out of the warehouse, issued at the desk, taken back."""
    stations = [
        {"id": "door-1", "kind": "warehouse_door", "port": "/dev/null"},
        {"id": "desk-1", "kind": "reading_desk", "port": "/dev/null"},
    ]
    config = write_config(tmp_path, stations)
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    run_vault(
        config, "approve", CODE, "--reader", "张华", "--leader", "李局长", "--opinion", "同意"
    )
    user = ("user", "add", "reg", "--role", "archivist", "--language", "en")
    run_vault(config, *user, input=PASSWORD + "\n")
    databases.open_archive(tmp_path)
    start = utcnow() - timedelta(minutes=10)
    reads = [
        ("door-1", StationKind.WAREHOUSE_DOOR, None),
        ("desk-1", StationKind.READING_DESK, "张华"),
        ("desk-1", StationKind.READING_DESK, None),
    ]
    for n, (station, kind, reader) in enumerate(reads):
        read = Read(station, kind, CODE, start + timedelta(minutes=n), reader=reader)
        record_read(read, f"e2e-{n}")
    port = free_port()
    processes.start(config, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(base + "/signin"), timeout=20, what="the web server")
    yield base
    database.close()
    database.initialize(None)


def test_an_archivist_finds_a_folder_by_a_chinese_title_and_reads_its_timeline(
    register_site, browser, tmp_path: Path
):
    base = register_site
    shots = screenshot_folder(tmp_path)
    page = browser.new_page()
    sign_in(page, base, "reg")
    page.click("ul.pages a[href='/register']")
    page.fill("input[name=title]", "农业普查")
    with page.expect_navigation():
        page.click("form.register-search button[type=submit]")
    rows = page.locator("tr.folder")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.title")).to_have_text("2002年全县农业普查汇总表")
    expect(rows.first.locator("td.marking")).to_have_text("机密★ 30年")
    page.screenshot(path=str(shots / "1-search.png"), full_page=True)

    with page.expect_navigation():
        rows.first.locator("td.code a").click()
    assert page.url == f"{base}/folders/{CODE}"
    expect(page.locator("#folder-title")).to_have_text("2002年全县农业普查汇总表")
    expect(page.locator("#place .state")).to_have_text("in the reading room")
    events = page.locator("#timeline tr.event")
    expect(events).to_have_count(3)
    kinds = [events.nth(i).get_attribute("data-kind") for i in range(3)]
    assert kinds == ["checked_in", "issued", "left_warehouse"]  # newest first
    issued = events.nth(1)
    expect(issued.locator("td.kind")).to_have_text("issued")
    expect(issued.locator("td.person")).to_have_text("张华")
    expect(issued.locator("td.station")).to_contain_text("desk-1")
    expect(issued.locator("td.time")).to_have_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"))
    page.screenshot(path=str(shots / "2-folder.png"), full_page=True)
    page.close()
