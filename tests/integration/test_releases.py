"""The register of statistical data provided to outside units (DESIGN.md rule 8): through
`vault release` and through the page served by waitress, on a real database file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD, add_user, run_vault, serving, write_config
from tests.integration.test_web_access import Client, csrf_of, location
from tests.integration.test_web_desk import send
from vault.config import Config
from vault.db.models import ExternalRelease
from vault.services import accounts, audit
from vault.web.app import create_app

TODAY = date.today()


def test_the_command_line_registers_and_lists_releases(tmp_path):
    config = write_config(tmp_path, [])
    run_vault(config, "init")
    add_user(config, "wang", "leader")
    add = ["release", "add", "--unit", "县发展和改革局", "--letter", "发改函〔2026〕8号",
           "--letter-date", str(TODAY), "--purpose", "编制五年规划", "--approved-by", "wang",
           "--provided", "2025年GDP核算数据", "--by", "arch"]  # fmt: skip
    refused = run_vault(config, *add, check=False)
    assert refused.returncode == 2 and "official seal" in refused.stderr
    wrong = run_vault(config, *add[:-4], "--approved-by", "arch", "--seal-confirmed", *add[-4:],
                      check=False)  # fmt: skip
    assert "'arch' is not a leader's account" in wrong.stderr
    assert "release 1 registered" in run_vault(config, *add, "--seal-confirmed").stdout
    listed = run_vault(config, "release", "list", "--unit", "发展").stdout
    assert "县发展和改革局" in listed and "发改函〔2026〕8号" in listed
    assert run_vault(config, "release", "list", "--unit", "公安").stdout == ""
    assert "the record verifies: 1 entries" in run_vault(config, "audit", "verify").stdout


@pytest.fixture
def site(db, tmp_path):
    accounts.add_user("arch", "archivist", PASSWORD, language="en")
    accounts.add_user("wang", "leader", PASSWORD, "王局长", language="en")
    accounts.add_user("guard", "security", PASSWORD, language="en")
    config = Config(path=tmp_path / "vault.toml", database="sqlite://", site_name="测试档案室")
    with serving(create_app(config)) as base:
        yield base


def signed_in(base: str, username: str) -> Client:
    client = Client(base)
    client.cookies["vault_session"] = accounts.sign_in(username, PASSWORD, "").token
    return client


FORM = {
    "unit": "县发展和改革局",
    "letter_number": "发改函〔2026〕8号",
    "letter_date": str(TODAY - timedelta(days=3)),
    "purpose": "编制五年规划",
    "approved_by": "wang",
    "provided": "2025年GDP核算数据（电子表格一份）",
    "provided_on": str(TODAY),
    "seal": "1",
}


def test_the_page_registers_a_release_and_refuses_what_is_missing(site):
    arch = signed_in(site, "arch")
    response, html = arch.request("GET", "/releases")
    assert response.status == 200 and '<option value="wang"' in html and "王局长" in html
    for change, message in [
        ({"seal": ""}, "official seal"),
        ({"approved_by": "guard"}, "&#039;guard&#039; is not a leader&#039;s account"),
        ({"provided": " "}, "needs what was provided"),
        ({"letter_date": "3 May"}, "is not a date"),
        ({"provided_on": str(TODAY + timedelta(days=1))}, "in the future"),
        ({"letter_date": str(TODAY + timedelta(days=1))}, "after the data was provided"),
    ]:
        response, html = arch.request("POST", "/releases", {"csrf": csrf_of(arch)} | FORM | change)
        assert response.status == 200 and message in html, change
        assert "编制五年规划" in html  # what was typed comes back
    forged = arch.request("POST", "/releases", {"csrf": "forged"} | FORM)
    assert forged[0].status == 403 and ExternalRelease.select().count() == 0
    response, _ = arch.request("POST", "/releases", {"csrf": csrf_of(arch)} | FORM)
    assert (response.status, location(response)) == (303, "/releases")
    row = ExternalRelease.get()
    assert (row.seal_confirmed_by, row.recorded_by, row.approved_by) == ("arch", "arch", "wang")
    wang = signed_in(site, "wang")
    html = wang.request("GET", "/releases?unit=%E5%8F%91%E5%B1%95")[1]  # 发展
    assert "县发展和改革局" in html and 'id="add-release"' not in html  # leaders read only
    assert wang.request("POST", "/releases", {"csrf": csrf_of(wang)} | FORM)[0].status == 403
    assert "Nothing registered" in arch.request("GET", "/releases?unit=%E5%85%AC%E5%AE%89")[1]
    csv = arch.request("GET", "/releases?format=csv")[1]
    assert "Provided on,Unit,Letter" in csv and "发改函〔2026〕8号" in csv
    response, pdf = send(arch, "GET", "/releases?format=pdf")
    assert response.getheader("Content-Type") == "application/pdf" and pdf.startswith(b"%PDF")
    assert signed_in(site, "guard").request("GET", "/releases")[0].status == 403
    assert audit.verify().ok
