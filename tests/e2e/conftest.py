"""Browser fixtures: Debian's Chromium, driven headless by Playwright (no browser download)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import databases
from tests.conftest import PASSWORD, free_port, wait_until
from vault.db.models import Station, database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign a browser page in through the form, as a person would, and wait for the next page."""
    page.goto(base + "/signin")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form.signin button[type=submit]")
    assert "/signin" not in page.url, page.locator("#signin-error").all_inner_texts()


ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def screenshot_folder(tmp_path: Path) -> Path:
    """Where a browser test keeps its screenshots: test-artifacts/screenshots/<test>/ in the
    working tree (ignored by git), so they outlive the run for a person or CI to look at."""
    folder = ARTEFACTS / tmp_path.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        return True
    except (urllib.error.URLError, ConnectionError):
        return False


@contextmanager
def running_site(config: Path, processes, stations: tuple[str, ...] = ()) -> Iterator[str]:
    """`vault bridge` (when stations are named) and `vault serve` as processes, as they run in
    production; yields the base URL once the server answers and every named station is open.
    The test's own process has the archive's database open meanwhile."""
    port = free_port()
    if stations:
        processes.start(config, "bridge")
    processes.start(config, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: answers(base + "/signin"), timeout=20, what="the web server")
    databases.open_archive(config.parent)
    try:
        for sid in stations:
            wait_until(
                lambda s=sid: Station.get_by_id(s).status == "connected",
                timeout=20,
                what=f"the bridge to open {sid}",
            )
        yield base
    finally:
        database.close()
        database.initialize(None)
