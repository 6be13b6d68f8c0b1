"""Retention, holds and destruction on a real database file: through `vault` commands as an
archivist and the leading group use them, and through the pages served by waitress. After the
pulping a destroyed folder's label read at the door alarms and the desk refuses it; the audit
log verifies, and an edit of the batch behind Vault's back is caught."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, SAMPLE_CSV, run_vault, serving, write_config
from tests.integration.test_audit import tamper
from tests.integration.test_web_access import Client, csrf_of, location
from tests.integration.test_web_desk import send
from vault.config import Config
from vault.db.models import Alarm, CustodyEvent, DestructionItem, Folder, Hold, Station
from vault.domain.approvals import Policy
from vault.domain.model import Read, StationKind
from vault.services import (
    accounts,
    appraisal,
    audit,
    desk,
    destruction,
    destruction_records,
    holds,
    policy,
)
from vault.services.custody import record_read
from vault.services.errors import VaultError
from vault.services.register import import_file
from vault.services.requests import approve_request
from vault.web.app import create_app

DUE = ["WC-TJ-2002-0138", "WC-TJ-2005-0034", "WC-TJ-2006-0100", "WC-TJ-2006-0101"]  # 10年
TODAY = date.today()
GROUP = '\n[approvals]\nleading_group = ["wang", "li", "zhao"]\n'


def vault(config: Path, *args: str) -> str:
    """Run a command that must succeed; its output."""
    result = run_vault(config, *args, check=False)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def refused(config: Path, *args: str) -> str:
    """Run a command that must be refused; its one-line message."""
    result = run_vault(config, *args, check=False)
    assert result.returncode == 2, result.stdout
    return result.stderr.strip()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    config = write_config(tmp_path, [])
    config.write_text(config.read_text(encoding="utf-8") + GROUP, encoding="utf-8")
    vault(config, "init")
    odd = tmp_path / "odd.csv"
    odd.write_text(
        "code,title,year,classification,retention,location\n"
        "WC-TJ-1999-0001,1999年统计台账,1999,internal,十年,B-01-01\n",
        encoding="utf-8",
    )
    vault(config, "import", str(SAMPLE_CSV))
    vault(config, "import", str(odd))
    return config


def test_the_due_list_holds_and_batches_through_the_command_line(archive):
    due = vault(archive, "appraisal", "due")
    assert all(code in due for code in DUE) and "4 folder(s) due" in due
    assert "WC-TJ-2002-0137" not in due  # 30年: due in 2033
    assert "unreadable retention: WC-TJ-1999-0001  '十年'" in due
    new = ("destruction", "new", "--reason", "保管期限已满", "--site", "县造纸厂",
           "--supervisor", "张监销", "--supervisor", "李监销", "--by", "arch")  # fmt: skip
    vault(archive, "hold", "place", DUE[0], "--reason", "审计调查", "--by", "arch")
    assert f"1  {DUE[0]}" in vault(archive, "hold", "list")
    assert f"{DUE[0]} is held: 审计调查" in refused(archive, *new, *DUE)
    vault(archive, "hold", "lift", "1", "--note", "调查结束", "--by", "arch")
    assert "4 folder(s)" in vault(archive, *new, "--all-due")
    approve = ("destruction", "approve", "1", "--opinion", "同意销毁")
    assert "zhang is not a member" in refused(archive, *approve, "--by", "zhang")
    assert "(1 of 2)" in vault(archive, *approve, "--by", "wang")
    confirm = ("destruction", "confirm", "1", "--by", "arch", "--destroyed-on")
    assert "needs 2 approvals" in refused(archive, *confirm, str(TODAY))
    assert "approved" in vault(archive, *approve, "--by", "li")
    vault(archive, *confirm, str(TODAY), "--note", "化浆")
    assert "destroyed" in vault(archive, "destruction", "list")
    out = archive.parent / "certificate.pdf"
    vault(archive, "destruction", "certificate", "1", "--out", str(out))
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Destruction certificate no. 1" in text and "县造纸厂" in text
    assert all(code in text for code in DUE) and "2002年全县工业企业主要指标" in text
    assert "Supervisor 张监销, signature" in text and "Supervisor 李监销, signature" in text
    assert "Approved by wang" in text and "Approved by li" in text and "同意销毁" in text
    assert "the record verifies" in vault(archive, "audit", "verify")


def test_the_services_refuse_what_the_rules_forbid(db):
    """Each refusal once, in process (the command line above shows they reach the user)."""
    import_file(SAMPLE_CSV)
    policy.set_policy(Policy(leading_group=frozenset({"wang", "li"})))
    new = ("保管期限已满", "县造纸厂", ["张监销"])
    with pytest.raises(VaultError, match="not due for appraisal until 2033-01-01"):
        destruction.create(*new, ["WC-TJ-2002-0137"], "arch")
    with pytest.raises(VaultError, match="no folder 'NOPE' is registered"):
        destruction.create(*new, ["NOPE"], "arch")
    with pytest.raises(VaultError, match="supervisor"):
        destruction.create("保管期限已满", "县造纸厂", [" "], DUE, "arch")
    hold = holds.place(DUE[0], "审计调查", "arch")
    with pytest.raises(VaultError, match="note"):
        holds.lift(hold.id, " ", "arch")
    holds.lift(hold.id, "调查结束", "arch")
    with pytest.raises(VaultError, match="already lifted by arch"):
        holds.lift(hold.id, "再", "arch")
    batch = destruction.create(*new, DUE, "arch")
    with pytest.raises(VaultError, match="already in destruction batch"):
        destruction.create(*new, [DUE[1]], "arch")
    destruction.decide(batch.id, "wang", True, "同意")
    with pytest.raises(VaultError, match="already decided"):
        destruction.decide(batch.id, "wang", True, "同意")
    destruction.decide(batch.id, "li", True, "同意")
    with pytest.raises(VaultError, match="in the future"):
        destruction.confirm(batch.id, TODAY + timedelta(days=1), "arch")
    with pytest.raises(VaultError, match="before the approval"):
        destruction.confirm(batch.id, TODAY - timedelta(days=1), "arch")
    with pytest.raises(VaultError, match="not been confirmed"):
        destruction_records.certificate(batch.id)
    destruction.confirm(batch.id, TODAY, "arch")
    with pytest.raises(VaultError, match="already confirmed"):
        destruction.confirm(batch.id, TODAY, "arch")
    assert appraisal.due_count() == 0  # destroyed: no longer due
    assert audit.verify().ok


def test_a_destroyed_folder_read_alarms_at_the_door_and_the_desk_refuses_it(db):
    import_file(SAMPLE_CSV)
    Station.create(id="door-1", kind="warehouse_door", port="/dev/null")
    Station.create(id="desk-1", kind="reading_desk", port="/dev/null")
    policy.set_policy(Policy(leading_group=frozenset({"wang", "li"})))
    batch = destruction.create("保管期限已满", "县造纸厂", ["张监销"], DUE[:2], "arch")
    for leader in ("wang", "li"):
        destruction.decide(batch.id, leader, True, "同意")
    destruction.confirm(batch.id, TODAY, "arch")
    folder = Folder.get(Folder.code == DUE[0])
    assert (folder.state, folder.holder_id) == ("destroyed", None)
    event = CustodyEvent.get(CustodyEvent.event_id == f"destruction-{batch.id}-{folder.id}")
    assert (event.kind, event.station_id, event.staff) == ("destroyed", None, "arch")
    read = Read("door-1", StationKind.WAREHOUSE_DOOR, DUE[0], datetime.now(), b"x")
    [alarm_id] = record_read(read, "door-after").alarm_ids
    alarm = Alarm.get_by_id(alarm_id)
    assert (alarm.rule, alarm.severity) == ("destroyed folder read", "critical")
    answer = desk.scan("desk-1", DUE[1], None)
    assert not answer.accepted and answer.message.startswith("destroyed")
    assert answer.alarm_ids and Folder.get(Folder.code == DUE[1]).state == "destroyed"
    with pytest.raises(VaultError, match="already destroyed"):
        holds.place(DUE[0], "再查", "arch")
    assert audit.verify().ok


def test_a_refusal_a_hold_or_a_folder_taken_out_stops_the_pulping(db):
    import_file(SAMPLE_CSV)
    policy.set_policy(Policy(leading_group=frozenset({"wang", "li", "zhao"})))
    refused_batch = destruction.create("保管期限已满", "县造纸厂", ["张监销"], DUE[:1], "arch")
    destruction.decide(refused_batch.id, "wang", True, "同意")
    destruction.decide(refused_batch.id, "zhao", False, "仍有查考价值")
    with pytest.raises(VaultError, match="refused"):
        destruction.decide(refused_batch.id, "li", True, "同意")
    with pytest.raises(VaultError, match="refused"):
        destruction.confirm(refused_batch.id, TODAY, "arch")
    with pytest.raises(VaultError, match="can no longer be changed"):
        destruction.edit(refused_batch.id, "x", "y", ["z"], add=[DUE[1]])
    # A refused batch lets its folders go into another.
    batch = destruction.create("保管期限已满", "县造纸厂", ["张监销"], DUE, "arch")
    for leader in ("wang", "li"):
        destruction.decide(batch.id, leader, True, "同意")
    hold = holds.place(DUE[2], "上级检查", "arch")
    approve_request("张华", "李局长", "同意", [DUE[3]], TODAY, TODAY)
    with pytest.raises(VaultError) as stopped:
        destruction.confirm(batch.id, TODAY, "arch")
    assert f"{DUE[2]} is held: 上级检查" in str(stopped.value)
    assert f"{DUE[3]} is asked for by open request" in str(stopped.value)
    holds.lift(hold.id, "检查结束", "arch")
    Station.create(id="door-1", kind="warehouse_door", port="/dev/null")
    read = Read("door-1", StationKind.WAREHOUSE_DOOR, DUE[3], datetime.now(), b"")
    record_read(read, "out-1")  # the reader's folder leaves the warehouse
    with pytest.raises(VaultError, match=f"{DUE[3]} is not on its shelf: it is in the reading"):
        destruction.confirm(batch.id, TODAY, "arch")
    record_read(Read("door-1", StationKind.WAREHOUSE_DOOR, DUE[3], datetime.now(), b""), "in-1")
    destruction.confirm(batch.id, TODAY, "arch")  # back on its shelf, its request closed
    assert Folder.select().where(Folder.state == "destroyed").count() == 4
    assert Hold.get_by_id(hold.id).lifted_by == "arch"
    assert audit.verify().ok


def test_an_edit_of_a_destroyed_batch_behind_vaults_back_is_caught(archive):
    vault(archive, "destruction", "new", "--reason", "保管期限已满", "--site", "县造纸厂",
          "--supervisor", "张监销", "--by", "arch", *DUE[:2])  # fmt: skip
    for leader in ("wang", "li"):
        vault(archive, "destruction", "approve", "1", "--by", leader, "--opinion", "同意")
    vault(archive, "destruction", "confirm", "1", "--by", "arch", "--destroyed-on", str(TODAY))
    assert "the record verifies" in vault(archive, "audit", "verify")
    tamper(archive, "UPDATE destruction_batch SET site = '别处' WHERE id = 1")
    result = run_vault(archive, "audit", "verify", check=False)
    assert result.returncode != 0
    assert "destruction approval 1 was changed" in result.stdout + result.stderr


@pytest.fixture
def site(db, tmp_path):
    import_file(SAMPLE_CSV)
    for name, role in (("arch", "archivist"), ("wang", "leader"), ("li", "leader"),
                       ("zhang", "leader"), ("administrator", "administrator")):  # fmt: skip
        accounts.add_user(name, role, PASSWORD, language="en")
    config = Config(
        path=tmp_path / "vault.toml",
        database="sqlite://",
        site_name="测试档案室",
        approvals=Policy(leading_group=frozenset({"wang", "li"})),
    )
    with serving(create_app(config)) as base:
        yield base


def signed_in(base: str, username: str) -> Client:
    client = Client(base)
    client.cookies["vault_session"] = accounts.sign_in(username, PASSWORD, "").token
    return client


def post(client: Client, path: str, form: dict):
    return client.request("POST", path, {"csrf": csrf_of(client)} | form)


def test_the_pages_make_approve_confirm_and_certify_a_batch(site):
    arch, wang, li = (signed_in(site, n) for n in ("arch", "wang", "li"))
    response, html = arch.request("GET", "/appraisal")
    assert response.status == 200 and all(f'data-code="{c}"' in html for c in DUE)
    assert "4 folders are due" in html
    csv = arch.request("GET", "/appraisal?format=csv")[1]
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("Folder,Title") and DUE[0] in csv
    # A hold placed on the holds page shows on the list and keeps the folder out of a batch.
    assert post(arch, "/holds", {"code": DUE[0], "reason": " "})[1].count("needs a reason") == 1
    assert post(arch, "/holds", {"code": DUE[0], "reason": "审计调查"})[0].status == 303
    assert f"{DUE[0]} is held: 审计调查" in arch.request("GET", "/appraisal")[1]
    batch = {"reason": "保管期限已满", "site": "县造纸厂", "supervisors": "张监销\n李监销"}
    response, html = post(arch, "/destructions", batch | {"codes": " ".join(DUE)})
    assert response.status == 200 and f"{DUE[0]} is held: 审计调查" in html
    assert 'value="县造纸厂"' in html  # the form comes back as typed
    response, _ = post(arch, "/destructions", batch | {"all_due": "1"})
    assert (response.status, location(response)) == (303, "/destructions/1")
    assert destruction.standing_of(1).text == "draft"
    hold = Hold.get()
    assert post(arch, f"/holds/{hold.id}/lift", {"note": "调查结束"})[0].status == 303
    response, _ = post(arch, "/destructions/1/edit", batch | {"add": DUE[0], "remove": DUE[1]})
    assert response.status == 303
    codes = {f.code for f in Folder.select().join(DestructionItem)}
    assert codes == {DUE[0], DUE[2], DUE[3]}
    # Decisions: only leaders, only members of the group, each once, with an opinion.
    assert (
        post(arch, "/destructions/1/approve", {"decision": "approve", "opinion": "x"})[0].status
        == 403
    )
    zhang = signed_in(site, "zhang")
    html = post(zhang, "/destructions/1/approve", {"decision": "approve", "opinion": "同意"})[1]
    assert "zhang is not a member of the archives leading group" in html
    html = post(wang, "/destructions/1/approve", {"decision": "approve", "opinion": " "})[1]
    assert "needs a written opinion" in html
    forged = wang.request(
        "POST",
        "/destructions/1/approve",
        {"csrf": "forged", "decision": "approve", "opinion": "同意"},
    )
    assert forged[0].status == 403
    assert (
        post(wang, "/destructions/1/approve", {"decision": "approve", "opinion": "同意"})[0].status
        == 303
    )
    assert "can no longer be changed" in post(arch, "/destructions/1/edit", batch | {"add": ""})[1]
    html = post(arch, "/destructions/1/confirm", {"destroyed_on": str(TODAY)})[1]
    assert "needs 2 approvals by the archives leading group (1 recorded)" in html
    assert (
        post(li, "/destructions/1/approve", {"decision": "approve", "opinion": "同意销毁"})[
            0
        ].status
        == 303
    )
    html = post(arch, "/destructions/1/confirm", {"destroyed_on": "2026-13-40", "note": "化浆"})[1]
    assert "is not a date" in html and 'value="化浆"' in html
    response, _ = arch.request("GET", "/destructions/1/certificate")
    assert (response.status, location(response)) == (303, "/destructions/1?notice=uncertified")
    assert "only a batch confirmed destroyed" in arch.request("GET", location(response))[1]
    response, _ = post(arch, "/destructions/1/confirm", {"destroyed_on": str(TODAY)})
    assert response.status == 303
    response, html = wang.request("GET", "/destructions/1")
    assert 'data-status="destroyed"' in html and 'id="certificate-pdf"' in html
    response, html = arch.request("GET", "/destructions/1/certificate")
    assert response.status == 200 and "Destruction certificate no. 1" in html
    assert "Destruction site: 县造纸厂" in html and "Supervisor 李监销, signature" in html
    response, pdf = send(arch, "GET", "/destructions/1/certificate?format=pdf")
    assert response.getheader("Content-Type") == "application/pdf" and pdf.startswith(b"%PDF")
    assert arch.request("GET", "/destructions/99")[0].status == 404
    assert arch.request("GET", "/destructions/99/certificate")[0].status == 404
    assert post(arch, "/destructions/99/confirm", {"destroyed_on": str(TODAY)})[0].status == 404
    assert audit.verify().ok


def test_the_pages_speak_chinese_and_say_when_nobody_is_in_the_leading_group(db, tmp_path):
    import_file(SAMPLE_CSV)
    accounts.add_user("arch", "archivist", PASSWORD, language="zh")
    accounts.add_user("wang", "leader", PASSWORD, language="zh")
    config = Config(path=tmp_path / "vault.toml", database="sqlite://")
    with serving(create_app(config)) as base:
        arch, wang = signed_in(base, "arch"), signed_in(base, "wang")
        form = {"reason": "保管期限已满", "site": "县造纸厂", "supervisors": "张监销"}
        assert post(arch, "/destructions", form | {"codes": DUE[0]})[0].status == 303
        html = post(wang, "/destructions/1/approve", {"decision": "approve", "opinion": "同意"})[1]
        assert "档案工作领导小组没有成员" in html and "leading_group" in html
        html = arch.request("GET", "/destructions")[1]
        assert "保管期限与销毁" in html and "销毁批次" in html and "草稿" in html
        html = post(arch, "/destructions", form | {"codes": "WC-TJ-2002-0137"})[1]
        assert "WC-TJ-2002-0137 要到 2033-01-01 才到鉴定期" in html
