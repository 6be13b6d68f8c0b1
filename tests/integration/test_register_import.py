"""`vault import` on real SQLite files: all rows or nothing, every bad row named by line."""

from pathlib import Path

import pytest

from tests.conftest import SAMPLE_CSV
from vault.db.models import Folder, Location
from vault.services.register import ImportRejected, import_file

HEADER = "code,title,year,classification,retention,location\n"


def csv_file(tmp_path: Path, body: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "folders.csv"
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def test_the_sample_archive_imports_with_its_chinese_titles(db):
    assert import_file(SAMPLE_CSV) == 12
    folder = Folder.get(Folder.code == "WC-TJ-2002-0137")
    assert folder.title == "2002年全县农业普查汇总表"
    assert (folder.classification, folder.retention, folder.year) == ("secret", "30年", 2002)
    assert folder.location.code == "A-03-02"
    assert folder.state == "shelved"
    assert Location.select().count() == 9


def test_a_byte_order_mark_and_quoted_commas_are_fine(db, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        "\ufeff".encode() + (HEADER + 'A-1,"统计资料，第一册",2001,public,,S-1\n').encode()
    )
    assert import_file(path) == 1
    assert Folder.get(Folder.code == "A-1").title == "统计资料，第一册"


def test_every_bad_row_is_reported_and_nothing_is_imported(db, tmp_path):
    path = csv_file(
        tmp_path,
        "OK-1,好的案卷,2001,public,10年,A-1\n"
        "OK 2,代码有空格,2001,public,10年,A-1\n"
        "OK-3,,2001,public,10年,A-1\n"
        "OK-4,年份不对,20x1,public,10年,A-1\n"
        "OK-5,密级不对,2001,very_secret,10年,A-1\n"
        "OK-6,缺位置,2001,secret,10年,\n"
        "OK-7,字段太少,2001\n"
        "OK-1,重复代码,2001,public,10年,A-1\n",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(path)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [f"line {n}" for n in range(3, 10)]
    assert "no spaces" in problems[0]
    assert "no title" in problems[1]
    assert "four-digit year" in problems[2]
    assert "very_secret" in problems[3] and "top_secret" in problems[3]
    assert "no location" in problems[4]
    assert "expected 6 fields, found 3" in problems[5]
    assert "also on line 2" in problems[6]
    assert Folder.select().count() == 0


def test_codes_already_registered_are_refused(db, tmp_path):
    import_file(SAMPLE_CSV)
    path = csv_file(tmp_path, "WC-TJ-2002-0137,再次登记,2002,secret,30年,A-03-02\n")
    with pytest.raises(ImportRejected, match="1 problem"):
        import_file(path)
    assert Folder.select().count() == 12


def test_a_file_that_is_not_utf8_names_the_line(db, tmp_path):
    path = csv_file(tmp_path, "A-1,好,2001,public,,S\nA-2,坏,2001,public,,S\n", encoding="gbk")
    with pytest.raises(ImportRejected) as caught:
        import_file(path)
    assert caught.value.problems == ["line 2: not UTF-8 text (save the file as UTF-8)"]


def test_a_wrong_header_is_refused(db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("code,title\nA,B\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="problem"):
        import_file(path)
    assert Folder.select().count() == 0
