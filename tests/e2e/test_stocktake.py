"""A stocktake in headless Chromium: an archivist opens a count of room B, types codes into the
scan field as a keyboard scanner would (each ending with Enter), pastes a few more, watches the
reconciliation's lists change, and the PDF link answers with the PDF.

`vault serve` runs as a process on a fresh archive made with the `vault` command. Screenshots
go to `test-artifacts/screenshots/`.
"""

from __future__ import annotations

import urllib.request

from playwright.sync_api import expect

from tests.conftest import PASSWORD, SAMPLE_CSV, run_vault, write_config
from tests.e2e.conftest import running_site, screenshot_folder, sign_in


def test_an_archivist_counts_room_b_at_the_desk(browser, tmp_path, processes):
    config = write_config(tmp_path, [])
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    run_vault(config, "user", "add", "wang", "--role", "archivist", "--language", "en",
              input=PASSWORD + "\n")  # fmt: skip
    shots = screenshot_folder(tmp_path)
    with running_site(config, processes) as base:
        page = browser.new_page()
        sign_in(page, base, "wang")
        page.goto(base + "/stocktakes")
        page.select_option("#scope", "room")
        page.fill("#scope-value", "B")
        with page.expect_navigation():
            page.click("#open-stocktake button[type=submit]")
        expect(page.locator("h1")).to_have_text("Stocktake 1")
        expect(page.locator("#missing-count")).to_have_text("4")

        for code in ("LOC:B-02-04", "WC-TJ-2004-0201", "WC-TJ-2004-0202+1", "NOT-A-FOLDER"):
            expect(page.locator("#code")).to_be_focused()  # the scanner types into the field
            with page.expect_navigation():
                page.keyboard.type(code)
                page.keyboard.press("Enter")
        expect(page.locator("#current-shelf")).to_have_text("Current shelf: B-02-04")
        expect(page.locator("#found-count")).to_have_text("2")
        expect(page.locator("#missing-count")).to_have_text("2")
        expect(page.locator("#unregistered-count")).to_have_text("1")
        expect(page.locator("#latest-reads tbody tr").first).to_contain_text("NOT-A-FOLDER")

        page.click("#scan details summary")
        page.fill("#codes", "B-01-01\nWC-TJ-2006-0100\nWC-TJ-2006-0101")
        with page.expect_navigation():
            page.click("#paste-form button[type=submit]")
        expect(page.locator("#found-count")).to_have_text("3")
        expect(page.locator("#misplaced-count")).to_have_text("1")  # 0101 is on B-01-02
        expect(page.locator("#misplaced tr[data-code='WC-TJ-2006-0101']")).to_contain_text(
            "found on B-01-01"
        )
        expect(page.locator("#totals")).to_contain_text("Expected 4: found 3, misplaced 1")
        page.screenshot(path=str(shots / "stocktake.png"), full_page=True)

        pdf_href = page.get_attribute("#stocktake-pdf", "href")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
        request = urllib.request.Request(base + pdf_href, headers={"Cookie": cookies})
        with urllib.request.urlopen(request, timeout=20) as answer:
            assert answer.headers["Content-Type"] == "application/pdf"
            assert answer.read(5) == b"%PDF-"

        with page.expect_navigation():
            page.click("#close-form button[type=submit]")
        expect(page.locator(".report-line").nth(2)).to_contain_text("Closed")
        expect(page.locator("#scan-form")).to_have_count(0)
