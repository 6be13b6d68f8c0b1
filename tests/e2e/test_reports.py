"""The reports in headless Chromium: an archivist opens the reports from the front page, reads
where the classified folders are, and the closing summary that `vault serve` made by itself
when it started after closing time. Screenshots go to `test-artifacts/screenshots/`."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests import databases
from tests.conftest import PASSWORD, SAMPLE_CSV, run_vault, wait_until, write_config
from tests.e2e.conftest import running_site, screenshot_folder, sign_in
from tests.integration.test_closing import add_stations, minute_past_in
from vault.db.models import Alarm, database
from vault.domain import closing as rules
from vault.domain.model import AlarmRule, Read, StationKind
from vault.services import clock
from vault.services.custody import record_read

CODE = "WC-TJ-2002-0137"


def test_an_archivist_reads_the_classified_places_and_the_closing_summary(
    tmp_path: Path, processes, browser
):
    zone = ZoneInfo("Asia/Shanghai")
    closing_time = minute_past_in(zone)
    config = write_config(
        tmp_path, [], f'closing_time = "{closing_time}"\ntimezone = "Asia/Shanghai"'
    )
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    # From yesterday: just after midnight the reads five minutes before closing are yesterday's.
    now = datetime.now(zone).date()
    run_vault(
        config, "approve", CODE, "--reader", "张华", "--leader", "李局长", "--opinion", "同意",
        "--from", str(now - timedelta(days=1)), "--until", str(now),
    )  # fmt: skip
    run_vault(config, "user", "add", "arch", "--role", "archivist", "--language", "en",
              input=PASSWORD + "\n")  # fmt: skip
    today = datetime.now(zone).date()
    closed = rules.local_moment(today, rules.clock_time(closing_time), zone)
    databases.open_archive(tmp_path)
    clock.set_zone(zone)  # the reads are dated in the site's calendar, as the request is
    try:  # out of the warehouse and issued before closing time, before the server starts
        add_stations()
        reads = ((StationKind.WAREHOUSE_DOOR, "door-1", None), (StationKind.READING_DESK,
                 "desk-1", "张华"))  # fmt: skip
        for n, (kind, station, reader) in enumerate(reads):
            when = closed - timedelta(minutes=5 - n)
            record_read(Read(station, kind, CODE, when, reader=reader), f"e2e-reports-{n}")
    finally:
        clock.set_zone(None)
        database.close()
        database.initialize(None)
    with running_site(config, processes) as base:
        wait_until(
            lambda: Alarm.select().where(Alarm.rule == AlarmRule.NOT_RETURNED.value).exists(),
            timeout=40,
            what="the server's closing check",
        )
        shots = screenshot_folder(tmp_path)
        page = browser.new_page()
        sign_in(page, base, "arch")
        page.click("ul.pages a[href='/reports']")
        expect(page.locator("h1")).to_have_text("Reports")
        page.click("#link-classified-places")
        expect(page.locator("h1")).to_have_text("Classified folders and where they are")
        row = page.locator("table.report tbody tr", has_text=CODE)
        expect(row).to_contain_text("issued")
        expect(row).to_contain_text("张华")
        expect(page.locator("#report-pdf")).to_have_attribute("href", "?format=pdf")
        page.screenshot(path=str(shots / "1-classified-places.png"), full_page=True)
        page.go_back()
        page.fill("#report-closing input[name=day]", today.isoformat())
        with page.expect_navigation():
            page.click("#report-closing button[type=submit]")
        expect(page.locator("h1")).to_contain_text("Folders not returned at closing time")
        closed_row = page.locator("table.report tbody tr", has_text=CODE)
        expect(closed_row).to_contain_text("张华")
        expect(closed_row).to_contain_text("last held by 张华 (issued)")
        expect(page.locator("p.report-footer").first).to_have_text("Not returned: 1")
        page.screenshot(path=str(shots / "2-closing.png"), full_page=True)
