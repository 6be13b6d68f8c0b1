"""Requests in headless Chromium: the head of the unit approves a request folder by folder on
its page, then at the desk a top-secret folder waits for a second member of staff, who confirms
with their own password in the form the page shows. `vault serve` runs as a process; the request
is recorded with the `vault` command. Screenshots go to `test-artifacts/screenshots/`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import PASSWORD, SAMPLE_CSV, run_vault, write_config
from tests.e2e.conftest import running_site, screenshot_folder, sign_in
from tests.e2e.test_desk import newest, scan
from vault.services.clock import today

CENSUS_1, CENSUS_2 = "WC-TJ-2003-0011", "WC-TJ-2003-0012"  # top secret


def test_the_head_approves_on_the_page_and_a_second_person_confirms_the_issue(
    tmp_path: Path, make_pty, processes, browser
):
    desk_pty = make_pty()
    extra = 'approvals = { heads = ["zhao"], second_person = ["top_secret"] }'
    stations = [{"id": "desk-1", "kind": "reading_desk", "port": desk_pty.path}]
    config = write_config(tmp_path, stations, extra)
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    for username, role in [("wu", "archivist"), ("qian", "archivist"), ("zhao", "leader")]:
        run_vault(config, "user", "add", username, "--role", role, "--language", "en",
                  input=PASSWORD + "\n")  # fmt: skip
    until = str(today() + timedelta(days=2))
    run_vault(
        config, "request", "add", CENSUS_1, CENSUS_2, "--reader", "张华",
        "--purpose", "人口数据核对", "--until", until, "--by", "wu",
    )  # fmt: skip
    shots = screenshot_folder(tmp_path)
    with running_site(config, processes) as base:
        head = browser.new_page()
        sign_in(head, base, "zhao")
        head.goto(base + "/requests?status=mine")
        head.click("#request-table a[href='/requests/1']")
        head.uncheck(f"input[name=folder][value='{CENSUS_2}']")
        head.fill("textarea[name=opinion]", "同意查阅第一册，阅后即还")
        head.click("#approve")
        expect(head.locator("#request-done")).to_have_text(
            "Your decision on request 1 was recorded."
        )
        expect(head.locator(f"tr[data-code='{CENSUS_1}']")).to_have_class("folder approved")
        expect(head.locator(f"tr[data-code='{CENSUS_2}']")).to_have_class("folder waiting")
        head.screenshot(path=str(shots / "1-approved-one-folder.png"), full_page=True)

        desk = browser.new_page()
        sign_in(desk, base, "wu")
        desk.goto(base + "/desk")
        scan(desk, "READER:张华")
        expect(desk.locator("#reader")).to_have_value("张华")
        scan(desk, CENSUS_1)
        refused = newest(desk, CENSUS_1)
        expect(refused).to_have_class("answer refused")
        expect(refused.locator(".message")).to_have_text(
            "a second member of staff must confirm this issue"
        )
        expect(desk.locator("#witness-form")).to_be_visible()
        assert desk.evaluate("document.activeElement.id") == "witness"
        desk.screenshot(path=str(shots / "2-second-person-asked.png"), full_page=True)
        desk.fill("#witness", "qian")
        desk.fill("#witness-password", PASSWORD)
        desk.click("#witness-form button[type=submit]")
        expect(desk.locator("#answers li.answer").first).to_have_class("answer accepted")
        expect(desk.locator("#answers li.answer .message").first).to_have_text("issued to 张华")
        expect(desk.locator("#witness-form")).to_be_hidden()
        assert desk.evaluate("document.activeElement.id") == "scan"
        desk.screenshot(path=str(shots / "3-issued-with-second-person.png"), full_page=True)

        scan(desk, CENSUS_2)  # not approved: refused, no second person asked for
        other = newest(desk, CENSUS_2)
        expect(other.locator(".message")).to_contain_text("needs approval by the head of the unit")
        expect(desk.locator("#witness-form")).to_be_hidden()
    shown = run_vault(config, "request", "show", "1").stdout
    assert "zhao (head) approved WC-TJ-2003-0011" in shown
