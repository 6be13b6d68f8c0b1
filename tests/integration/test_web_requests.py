"""The requests pages and the desk's second member of staff, served by waitress over a real
SQLite file: the archivist records a visitor's request, leaders decide folder by folder, bad
forms come back with what was typed, and a top-secret issue waits for a second person's password.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, SAMPLE_CSV, serving
from tests.integration.test_web_access import Client, csrf_of, location
from tests.integration.test_web_desk import scan, send
from vault.config import Config
from vault.db.models import Approval, CustodyEvent, Folder, Letter, Request, Station
from vault.domain.approvals import Policy
from vault.domain.model import Classification
from vault.services import accounts, audit
from vault.services.clock import today
from vault.services.register import import_file
from vault.services.requests import create_request, decide_request
from vault.web.app import create_app

AGRICULTURE, INDUSTRY = "WC-TJ-2002-0137", "WC-TJ-2002-0138"  # secret, confidential
CENSUS = "WC-TJ-2003-0011"  # top secret


@pytest.fixture
def site(db, tmp_path):
    import_file(SAMPLE_CSV)
    Station.create(id="desk-1", kind="reading_desk", port="/dev/null")
    for username, role, lang in [
        ("wu", "archivist", "en"),
        ("qian", "archivist", "en"),
        ("li", "leader", "en"),
        ("zhao", "leader", "zh"),
        ("guard", "security", "en"),
    ]:
        accounts.add_user(username, role, PASSWORD, language=lang)
    rules = Policy(heads=frozenset({"zhao"}), second_person=frozenset({Classification.TOP_SECRET}))
    config = Config(path=tmp_path / "vault.toml", database="sqlite://", approvals=rules)
    with serving(create_app(config)) as base:
        yield base


def signed_in(base: str, username: str) -> Client:
    client = Client(base)
    client.cookies["vault_session"] = accounts.sign_in(username, PASSWORD, "").token
    return client


def post(client: Client, path: str, form: dict | list) -> tuple:
    pairs = list(form.items()) if isinstance(form, dict) else list(form)
    return client.request("POST", path, [("csrf", csrf_of(client)), *pairs])


VISITOR_FORM = {
    "kind": "visitor",
    "reader": "王五",
    "purpose": "核对农业普查数据",
    "codes": f"{AGRICULTURE}\n{INDUSTRY}",
    "unit": "县发改委",
    "number": "发改函〔2026〕3号",
    "issued_on": str(today() - timedelta(days=2)),
    "letter_until": str(today() + timedelta(days=10)),
    "covers": "WC-TJ-2002\n",
    "seal": "yes",
    "valid_from": str(today()),
    "valid_until": str(today() + timedelta(days=3)),
}


def test_a_visitors_request_recorded_on_the_page_and_decided_folder_by_folder(site):
    wu, li, zhao = signed_in(site, "wu"), signed_in(site, "li"), signed_in(site, "zhao")
    response, html = wu.request("GET", "/requests/new")
    assert response.status == 200 and 'name="seal"' in html and 'name="csrf"' in html
    response, _ = post(wu, "/requests", VISITOR_FORM)
    assert (response.status, location(response)) == (303, "/requests/1?done=created")
    letter = Letter.get()
    assert (letter.seal_confirmed_by, letter.covers, letter.unit) == (
        "wu",
        "WC-TJ-2002",
        "县发改委",
    )
    _, html = wu.request("GET", "/requests/1?done=created")
    assert "Request 1 was recorded." in html and "王五（县发改委）" in html
    assert f'href="/folders/{AGRICULTURE}"' in html and 'id="withdraw-form"' in html
    assert 'id="decide-form"' not in html  # the archivist does not decide

    _, html = li.request("GET", "/requests?status=mine")
    assert 'data-request-id="1"' in html and "waiting for approval" in html
    _, html = li.request("GET", "/requests/1")
    assert 'id="decide-form"' in html and 'id="withdraw-form"' not in html
    form = [("decision", "approve"), ("folder", AGRICULTURE), ("opinion", "同意查阅农业普查资料")]
    response, _ = post(li, "/requests/1/approve", form)
    assert (response.status, location(response)) == (303, "/requests/1?done=decided")
    _, html = li.request("GET", "/requests/1")
    assert "You have decided on this request." in html and "同意查阅农业普查资料" in html
    assert _row_of(html, AGRICULTURE).count("approved") >= 2  # the sign-off and the status
    assert "needs approval by a leader (0 of 1" in _row_of(html, INDUSTRY)
    assert li.request("GET", "/requests?status=mine")[1].count("data-request-id=") == 0

    refuse = [("decision", "refuse"), ("folder", INDUSTRY), ("opinion", "工业数据不在核对范围")]
    assert post(zhao, "/requests/1/approve", refuse)[0].status == 303
    _, html = zhao.request("GET", "/requests/1")  # zhao reads Chinese
    assert "已批准" in html and "已被zhao拒绝" in html and "单位主要负责人" in html
    assert [(a.approver, a.duty, a.approved) for a in Approval.select().order_by(Approval.id)] == [
        ("li", "leader", True),
        ("zhao", "head", False),
    ]
    assert audit.verify().ok


def _row_of(html: str, code: str) -> str:
    found = re.search(rf'<tr class="folder [a-z]+" data-code="{code}">.*?</tr>', html, re.S)
    assert found, code
    return found.group(0)


def test_bad_forms_come_back_with_what_was_typed_and_write_nothing(site):
    wu, li = signed_in(site, "wu"), signed_in(site, "li")
    unknown = VISITOR_FORM | {"codes": f"{AGRICULTURE} WC-NO-1, WC-NO-2"}
    response, html = post(wu, "/requests", unknown)
    assert response.status == 200 and "not registered: WC-NO-1, WC-NO-2" in html
    assert "核对农业普查数据" in html and "发改函〔2026〕3号" in html  # what was typed stays
    no_seal = VISITOR_FORM | {"seal": ""}
    assert "confirm the official seal" in post(wu, "/requests", no_seal)[1]
    bad_day = VISITOR_FORM | {"valid_until": "2026-13-40"}
    assert "the last day must be a date written as 2026-04-30" in post(wu, "/requests", bad_day)[1]
    forged = wu.request("POST", "/requests", VISITOR_FORM | {"csrf": "forged-" + "x" * 40})
    assert forged[0].status == 403
    assert post(li, "/requests", VISITOR_FORM)[0].status == 403  # a leader does not record
    assert (Request.select().count(), Letter.select().count()) == (0, 0)

    request_id = create_request("张华", [AGRICULTURE], "核对", today(), today(), "wu")
    path = f"/requests/{request_id}/approve"
    response, html = post(li, path, [("decision", "approve"), ("folder", AGRICULTURE)])
    assert response.status == 200 and "needs a written opinion" in html
    response, html = post(li, path, [("decision", "approve"), ("opinion", "同意")])
    assert "tick at least one folder" in html
    assert post(wu, path, [("decision", "approve"), ("opinion", "同意")])[0].status == 403
    assert Approval.select().count() == 0
    assert li.request("GET", "/requests/999")[0].status == 404
    assert li.request("GET", "/requests?status=nonsense")[0].status == 404


def test_the_archivist_withdraws_a_request_and_the_list_shows_it_last(site):
    wu = signed_in(site, "wu")
    first = create_request("张华", [AGRICULTURE], "核对", today(), today(), "wu")
    second = create_request("李四", [INDUSTRY], "核对", today(), today(), "wu")
    response, _ = post(wu, f"/requests/{first}/withdraw", {})
    assert location(response) == f"/requests/{first}?done=withdrawn"
    _, html = wu.request("GET", "/requests")
    ids = re.findall(r'data-request-id="(\d+)"', html)
    assert ids == [str(second), str(first)]
    _, html = wu.request("GET", f"/requests/{first}")
    assert 'id="withdraw-form"' not in html and "withdrawn" in html
    assert "already withdrawn" in post(wu, f"/requests/{first}/withdraw", {})[1]
    _, html = wu.request("GET", "/requests?status=withdrawn")
    assert re.findall(r'data-request-id="(\d+)"', html) == [str(first)]


def test_a_top_secret_issue_waits_for_a_second_member_of_staff_at_the_desk(site):
    request_id = create_request("张华", [CENSUS, AGRICULTURE], "核对", today(), today(), "wu")
    decide_request(request_id, "zhao", "同意", None)
    wu = signed_in(site, "wu")
    _, secret = scan(wu, AGRICULTURE, "张华")  # secret: no second person configured
    assert secret["event"] == "issued" and not secret["needs_witness"]

    _, first = scan(wu, CENSUS, "张华")
    assert (first["event"], first["needs_witness"]) == ("refused", True)
    assert first["message"] == "a second member of staff must confirm this issue"
    for witness, password, why in [
        ("wu", PASSWORD, "someone other than the archivist"),
        ("qian", "wrong-password-1", "username or password is not right"),
        ("guard", PASSWORD, "not an active archivist or leader"),  # security cannot confirm
        ("nobody", PASSWORD, "username or password is not right"),
    ]:
        _, answer = _scan_with(wu, CENSUS, witness, password)
        assert answer["event"] == "error" and why in answer["message"], (witness, answer)
    assert Folder.get(Folder.code == CENSUS).state == "shelved"
    assert CustodyEvent.select().where(CustodyEvent.kind == "issued").count() == 1

    _, issued = _scan_with(wu, CENSUS, "qian", PASSWORD)
    assert (issued["event"], issued["holder"]) == ("issued", "张华")
    event = CustodyEvent.select().order_by(CustodyEvent.id.desc()).get()
    assert (event.kind, event.staff, event.witness) == ("issued", "wu", "qian")
    assert audit.verify().ok


def _scan_with(client: Client, code: str, witness: str, password: str) -> tuple:
    body = {"code": code, "reader": "张华", "station": "desk-1"}
    body |= {"witness": witness, "witness_password": password}
    headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf_of(client)}
    response, data = send(client, "POST", "/api/desk/scan", json.dumps(body).encode(), headers)
    return response.status, json.loads(data)
