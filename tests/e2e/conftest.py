"""Browser fixtures: Debian's Chromium, driven headless by Playwright (no browser download)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import PASSWORD

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
