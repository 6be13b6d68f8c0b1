"""The reading-room desk in headless Chromium: an archivist's keyboard-wedge scanner types into
the page, the desk's serial scanner writes into its pseudo-terminal, and both answer in one list.

`vault bridge` and `vault serve` run as processes on a fresh archive; requests are approved and
labels printed with the `vault` command, as at a real desk. Screenshots go to
`test-artifacts/screenshots/`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, SAMPLE_CSV, run_vault, write_config
from tests.e2e.conftest import running_site, screenshot_folder, sign_in

LEADER = ("--leader", "李局长", "--opinion", "同意")


@pytest.fixture
def desk_site(tmp_path, make_pty, processes):
    """Bridge and web server on a fresh archive with approved requests, a reprinted label and
    an archivist; returns (base URL, the desk scanner's pty)."""
    desk_pty = make_pty()
    stations = [{"id": "desk-1", "kind": "reading_desk", "port": desk_pty.path}]
    # 0011 is top secret: the head of the unit approves it.
    config = write_config(tmp_path, stations, 'approvals = { heads = ["李局长"] }')
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    for code, reader in [("WC-TJ-2002-0137", "张华"), ("WC-TJ-2002-0138", "李四")]:
        run_vault(config, "approve", code, "--reader", reader, *LEADER)
    run_vault(config, "approve", "WC-TJ-2003-0011", "--reader", "王明", *LEADER)
    for n in (1, 2):  # the second print voids the first label, WC-TJ-2003-0012+1
        run_vault(config, "labels", "print", "WC-TJ-2003-0012", "-o", str(tmp_path / f"{n}.pdf"))
    user = ("user", "add", "desk", "--role", "archivist", "--language", "en")
    run_vault(config, *user, input=PASSWORD + "\n")
    with running_site(config, processes, ("desk-1",)) as base:
        yield base, desk_pty


def scan(page: Page, code: str) -> None:
    """As a keyboard-wedge scanner does: the characters, then Enter, into whatever has focus."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def newest(page: Page, code: str):
    answer = page.locator("#answers li.answer").first
    expect(answer).to_have_attribute("data-code", code)
    return answer


def test_scans_at_the_desk_answer_at_once_and_serial_scans_join_the_list(
    desk_site, browser, tmp_path: Path
):
    base, desk_pty = desk_site
    shots = screenshot_folder(tmp_path)
    page = browser.new_page()
    sign_in(page, base, "desk")
    page.goto(base + "/desk")
    expect(page.locator("#desk-live")).to_have_class("live on")
    assert page.evaluate("document.activeElement.id") == "scan"

    scan(page, "READER:张华")
    expect(page.locator("#reader")).to_have_value("张华")
    assert page.evaluate("document.activeElement.id") == "scan"

    scan(page, "WC-TJ-2002-0137")
    issued = newest(page, "WC-TJ-2002-0137")
    expect(issued).to_have_class("answer accepted")
    expect(issued.locator(".word")).to_have_text("Accepted")
    expect(issued.locator(".message")).to_have_text("issued to 张华")
    expect(issued.locator(".marking")).to_have_text("机密★ 30年")
    expect(issued.locator(".title")).to_have_text("2002年全县农业普查汇总表")
    page.screenshot(path=str(shots / "1-issued.png"), full_page=True)

    scan(page, "WC-TJ-2002-0138")  # approved for 李四, offered to 张华
    other = newest(page, "WC-TJ-2002-0138")
    expect(other).to_have_class("answer refused")
    expect(other.locator(".word")).to_have_text("Refused")
    expect(other.locator(".message")).to_have_text("approved for 李四, not 张华")
    assert page.locator("#desk").get_attribute("data-last-tone") in ("refuse", "unavailable")

    scan(page, "WC-TJ-2003-0012+1")  # the label the reprint voided
    void = newest(page, "WC-TJ-2003-0012")
    expect(void).to_have_attribute("data-event", "void_label")
    expect(void.locator(".message")).to_contain_text("void label")
    page.screenshot(path=str(shots / "2-refused.png"), full_page=True)

    # Focus wandered off (a click on nothing): it comes back, and the next scan still lands.
    page.evaluate("document.activeElement.blur()")
    page.wait_for_function("document.activeElement.id === 'scan'")

    desk_pty.write(b"WC-TJ-2003-0011\r\n")  # the desk's serial scanner
    serial = newest(page, "WC-TJ-2003-0011")
    expect(serial).to_have_class("answer accepted")
    expect(serial.locator(".source")).to_have_text("serial scanner")
    expect(serial.locator(".message")).to_have_text("issued to 王明")
    page.screenshot(path=str(shots / "3-serial.png"), full_page=True)

    scan(page, "WC-TJ-2002-0137")  # taken back from 张华
    back = newest(page, "WC-TJ-2002-0137")
    expect(back).to_have_attribute("data-event", "checked_in")
    assert page.locator("#answers li.answer").count() == 6  # the card, 4 scans, 1 serial
    page.close()
