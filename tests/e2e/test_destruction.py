"""A destruction in headless Chromium against `vault serve`, in Chinese as the bureau uses it:
the archivist makes a batch from the appraisal list, two members of the leading group approve
it, the archivist confirms the pulping and opens the certificate.

Screenshots of each step are kept under `test-artifacts/screenshots/`.
"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from tests.conftest import SAMPLE_CSV, add_user, run_vault, write_config
from tests.e2e.conftest import running_site, screenshot_folder, sign_in
from vault.db.models import Folder

GROUP = '\n[approvals]\nleading_group = ["wang", "li"]\n'


def test_a_batch_is_approved_by_two_leaders_confirmed_and_certified(browser, tmp_path, processes):
    shots = screenshot_folder(tmp_path)
    config = write_config(tmp_path, [], 'site_name = "城关档案室"')
    config.write_text(config.read_text(encoding="utf-8") + GROUP, encoding="utf-8")
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    for name, role in (("arch", "archivist"), ("wang", "leader"), ("li", "leader")):
        add_user(config, name, role)
    with running_site(config, processes) as base:
        arch = browser.new_context().new_page()
        sign_in(arch, base, "arch")
        arch.goto(base + "/appraisal")
        expect(arch.locator("h1")).to_have_text("到期待鉴定案卷")
        form = arch.locator("#batch-from-list")
        form.locator("input[name=code][value='WC-TJ-2002-0138']").check()
        form.locator("input[name=code][value='WC-TJ-2005-0034']").check()
        form.locator("input[name=site]").fill("县造纸厂")
        form.locator("textarea[name=supervisors]").fill("张监销\n李监销")
        arch.screenshot(path=str(shots / "1-appraisal.png"), full_page=True)
        with arch.expect_navigation():
            form.locator("button[type=submit]").click()
        assert arch.url.endswith("/destructions/1")
        expect(arch.locator("#status")).to_have_text("草稿")

        for n, leader in enumerate(("wang", "li"), start=2):
            page = browser.new_context().new_page()
            sign_in(page, base, leader)
            page.goto(base + "/destructions/1")
            page.fill("#decide textarea[name=opinion]", "同意销毁")
            with page.expect_navigation():
                page.click("#approve")
            expect(page.locator(f"tr.decision[data-approver='{leader}']")).to_contain_text("已批准")
            page.screenshot(path=str(shots / f"{n}-approved-by-{leader}.png"), full_page=True)
        expect(page.locator("#status")).to_have_text("已批准")

        arch.goto(base + "/destructions/1")
        arch.fill("#confirm input[name=destroyed_on]", str(date.today()))
        arch.fill("#confirm input[name=note]", "化浆销毁，全程监督")
        with arch.expect_navigation():
            arch.click("#confirm button[type=submit]")
        expect(arch.locator("#status")).to_have_text("已销毁")
        arch.screenshot(path=str(shots / "4-destroyed.png"), full_page=True)
        with arch.expect_navigation():
            arch.click("#certificate")
        expect(arch.locator("h1")).to_have_text("销毁证明 第 1 号")
        body = arch.locator("main")
        expect(body).to_contain_text("销毁地点：县造纸厂")
        expect(body).to_contain_text("监销人 李监销，签字")
        expect(body).to_contain_text("WC-TJ-2005-0034")
        arch.screenshot(path=str(shots / "5-certificate.png"), full_page=True)
        assert Folder.get(Folder.code == "WC-TJ-2002-0138").state == "destroyed"
