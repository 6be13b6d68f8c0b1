"""The alarm board's flash and armed tone when a read on the exit's serial line raises an alarm,
and the alarm history: found by its note, exported as CSV that a spreadsheet cannot run.

You cannot hear a headless browser: the test checks that the AudioContext was started by the
arming click and that the board marked the tone as sounding.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, SAMPLE_CSV, run_vault, write_config
from tests.e2e.conftest import running_site, sign_in

NOTE = '=HYPERLINK("http://x") 已追回'


@pytest.fixture
def board_site(tmp_path, make_pty, processes):
    exit_pty = make_pty()
    stations = [{"id": "exit-1", "kind": "reading_exit", "port": exit_pty.path}]
    config = write_config(tmp_path, stations)
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    user = ("user", "add", "guard", "--role", "security", "--language", "en")
    run_vault(config, *user, input=PASSWORD + "\n")
    with running_site(config, processes, ("exit-1",)) as base:
        yield base, exit_pty


def test_an_alarm_flashes_the_board_sounds_the_armed_tone_and_lands_in_the_history(
    board_site, browser, tmp_path
):
    base, exit_pty = board_site
    page = browser.new_page()
    sign_in(page, base, "guard")
    page.goto(base + "/alarms")
    page.wait_for_selector("#live.on")
    expect(page.locator("li.station .figures")).to_contain_text("frames")
    page.click("#arm-tone")
    page.wait_for_selector("body[data-armed='1']")
    assert page.evaluate("document.body.dataset.audio") == "running"
    assert page.evaluate("document.body.dataset.tone") == "off"

    exit_pty.write(b"WC-TJ-2002-0137\r\n")
    row = page.locator("tr.alarm", has_text="WC-TJ-2002-0137")
    row.wait_for(timeout=5000)
    page.wait_for_selector("body[data-tone='on']")  # critical: the tone repeats until silenced
    assert int(page.evaluate("document.body.dataset.flashes")) >= 1
    assert int(page.evaluate("document.body.dataset.beeps")) >= 1
    expect(page.locator("#silence")).to_be_visible()
    page.screenshot(path=str(tmp_path / "board-alarm.png"), full_page=True)
    page.click("#silence")
    page.wait_for_selector("body[data-tone='off']")

    row.locator("input[name=note]").fill(NOTE)
    row.locator("button").click()
    page.wait_for_url(base + "/alarms")
    page.locator("tr.alarm").first.wait_for(state="detached", timeout=3000)

    page.click("a.history-link")
    page.fill("input[name=q]", "已追回")
    page.click("form.history-search button")
    found = page.locator("table.history tr.alarm")
    expect(found).to_have_count(1)
    expect(found.locator(".note")).to_have_text(NOTE)
    expect(found.locator(".code")).to_have_text("WC-TJ-2002-0137")
    page.screenshot(path=str(tmp_path / "history.png"), full_page=True)

    exported = page.request.get(base + page.locator("a.export").get_attribute("href"))
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    body = exported.body()
    assert body.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in body.decode("utf-8-sig").splitlines()[1]
    page.goto(base + "/alarms/history?q=nothing-like-this")
    expect(page.locator("#no-history")).to_be_visible()
    page.close()
