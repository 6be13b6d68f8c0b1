"""Reports as PDF files, read back with poppler: every cell of a report with Chinese, hostile
and wrapping text comes out of pdftotext in order, each page repeats the table's heading, a
long cell wraps inside its own column, the invisible text lies on the printed text, every
page rasterises, and tens of thousands of rows are written without being held in memory.
Then `send_report` over HTTP: the page, the CSV and the PDF of one report.
"""

from __future__ import annotations

import csv
import html
import io
import random
import re
import shutil
import subprocess
import tracemalloc
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import bottle
import pytest
from PIL import Image

from tests.conftest import serving
from vault.config import Config
from vault.services.report import Report, cell_text
from vault.services.report_pdf import PAD_X, column_widths, wrap, write_pdf
from vault.web.report_view import SHOWN_ROWS, send_report

pytestmark = pytest.mark.no_database  # PDF drawing only: run once, not per database

HOSTILE = [") Tj (", "a\\b \\\\ (", "<</T>>", "%%EOF", "<b>&amp;"]  # PDF and HTML syntax
LONG_HOSTILE = ["<</Type /Page>> endobj ) Tj ( \\", "%PDF-1.4 BT /F1 9 Tf (x) Tj ET"]
COLUMNS = [
    ("code", "Folder"),
    ("title", "题名"),
    ("odd", "Hostile"),
    ("n", "No."),
    ("at", "When"),
    ("note", "备注 Note"),  # last: its wrapped lines follow the row's first line in -layout
]
# What the text layer can say for characters it cannot carry: the emoji is not in the font
# (drawn as "?"), 𠮷 is drawn but lies outside the Basic Multilingual Plane.
NOT_CARRIED = {"😀": "?", "𠮷": "?"}


@pytest.fixture(scope="module", autouse=True)
def poppler() -> None:
    for tool in ("pdfinfo", "pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed to read reports back: install poppler-utils")


def rows(count: int) -> Iterator[dict]:
    for i in range(count):
        yield {
            "code": f"WC-TJ-{2000 + i % 7}-{i:04d}",
            "title": ("2002年工业统计年报（机密）" if i % 2 else f"第{i}卷 档案😀𠮷")[:15],
            "odd": HOSTILE[i % len(HOSTILE)],
            "n": i * 37,
            "at": date(2024, 5, 1 + i % 28) if i % 3 else datetime(2024, 5, 1, 9, i % 60, 5),
            "note": f"第{i}号："
            + "卷内文件按年度排列，含统计表 Table-7 与说明 checked " * (i % 4)
            + LONG_HOSTILE[i % 2]
            if i % 5
            else None,
        }


def report(count: int, **overrides: object) -> Report:
    values = {
        "title": "2002年工业统计年报（机密）流转记录",
        "lines": ["Scope: warehouse A, all shelves", "制表：张华 2024-05-01 09:00"],
        "columns": COLUMNS,
        "rows": rows(count),
        "footer": [f"Total: {count} folders", "Supervisor: ________  审核人：________"],
        "name": "custody-history",
    }
    return Report(**(values | overrides))


def squeeze(text: str) -> str:
    """Text without whitespace, as extraction and wrapping may space it differently."""
    for char, stand_in in NOT_CARRIED.items():
        text = text.replace(char, stand_in)
    return re.sub(r"\s+", "", text)


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)$", info.stdout, re.M).group(1))


def extract(pdf: Path, *options: str) -> str:
    args = ["pdftotext", *options, str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_every_cell_comes_out_in_order_under_the_heading_of_every_page(tmp_path):
    pdf = tmp_path / "report.pdf"
    with pdf.open("wb") as out:
        written = write_pdf(report(300), out, landscape=True)  # only the notes wrap
    assert written == pages_of(pdf) > 5
    text = extract(pdf, "-layout")
    pages = text.split("\f")[:-1]
    assert len(pages) == written
    for number, page in enumerate(pages, start=1):
        for _, heading in COLUMNS:
            assert squeeze(heading) in squeeze(page), (number, heading)
        assert re.search(rf"^\s*page {number}\s*$", page, re.M), number
    expected = [
        "2002年工业统计年报（机密）流转记录",
        *report(0).lines,
        *(cell_text(row[key]) for row in rows(300) for key, _ in COLUMNS),
        *report(300).footer,
    ]
    found, at = squeeze(text), 0
    for item in map(squeeze, expected):
        position = found.find(item, at)
        assert position >= 0, f"{item!r} not found after {found[at - 80 : at]!r}"
        at = position + len(item)


def test_a_long_cell_wraps_inside_its_own_column(tmp_path):
    long = "2002年全县农业普查汇总表乡镇分册（第{i}卷）、统计说明与历年对照 index-{i} checked"
    cells = [{"code": f"C{i}", "text": long.format(i=i), "tail": f"END-{i}"} for i in range(60)]
    columns = [("code", "Code"), ("text", "题名"), ("tail", "Tail")]
    pdf = tmp_path / "wrapped.pdf"
    with pdf.open("wb") as out:
        write_pdf(Report("宽表", columns=columns, rows=cells), out, page_label="-{n}-")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>|'
        r"(<page )",
        extract(pdf, "-bbox"),
    )
    page, placed = 0, []
    for x, y, word, new_page in words:
        page += bool(new_page)
        if word and not re.fullmatch(r"-\d+-", word):
            placed.append((page, float(y), float(x), html.unescape(word)))
    starts = {word: x for _, _, x, word in placed if word in ("Code", "题名", "Tail")}
    bounds = [starts["Code"], starts["题名"], starts["Tail"], 10_000]
    by_column: list[list[tuple]] = [[], [], []]
    for word in sorted(placed):
        by_column[sum(word[2] >= b - 2 for b in bounds[1:3])].append(word[3])
    pages = by_column[0].count("Code")
    assert pages > 1 and by_column[1].count("题名") == by_column[2].count("Tail") == pages
    heads = {"Code", "题名", "Tail"}
    by_column = [[w for w in words if w not in heads] for words in by_column]
    assert "".join(by_column[0]) == "宽表" + "".join(c["code"] for c in cells)
    assert squeeze("".join(by_column[1])) == squeeze("".join(c["text"] for c in cells))
    assert "".join(by_column[2]) == "".join(c["tail"] for c in cells)
    assert max(len(c["text"]) for c in cells) > 40  # long enough to need several lines


def test_the_pages_rasterise_and_the_text_lies_on_the_ink(tmp_path):
    pdf = tmp_path / "report.pdf"
    with pdf.open("wb") as out:
        written = write_pdf(report(120), out)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size:\s+595\.27\d* x 841\.89", info.stdout), info.stdout
    for resolution, last in (("100", str(written)), ("200", "1")):
        done = subprocess.run(
            [
                "pdftoppm",
                "-r",
                resolution,
                "-l",
                last,
                "-gray",
                str(pdf),
                str(tmp_path / resolution),
            ],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0 and "rror" not in done.stderr, done.stderr
    pages = sorted(tmp_path.glob("100-*.pgm"))
    assert len(pages) == written == pages_of(pdf) > 2
    assert all(Image.open(p).getextrema()[0] < 100 for p in pages)  # every page has ink
    first = Image.open(next(tmp_path.glob("200-*.pgm"))).point(lambda v: v < 128)
    boxes = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
        extract(pdf, "-bbox", "-f", "1", "-l", "1"),
    )
    assert len(boxes) > 200
    for *box, word in boxes:
        if "?" in word:
            continue  # a stand-in for a character the text layer cannot carry: not as wide
        # At the page's own 200 dpi, the printed ink of each invisible word starts where the
        # word does and ends where it ends (a closing "）" is inked on its left half only).
        left, top, right, bottom = (round(float(v) * 200 / 72) for v in box)
        crop = first.crop((left - 4, top, right + 4, bottom))
        ink = [x - 4 for x in range(crop.width) if crop.crop((x, 0, x + 1, crop.height)).getbbox()]
        short = 5 if re.search(r"[A-Za-z0-9\u4e00-\u9fff]$", word) else 24
        assert ink and abs(ink[0]) <= 3 and -short <= ink[-1] - (right - left) <= 3, (word, ink)


class Discard:
    """A file that keeps nothing: the PDF's size must not count as the writer's memory."""

    size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def stocktake(count: int) -> Report:
    """A stocktake's rows, one line each and every one different, made as they are read."""
    rows = (
        {"code": f"WC-TJ-{2000 + i % 9}-{i:06d}", "title": f"第{i}卷 工业统计年报 {i * 7919}",
         "shelf": f"A-{i % 12:02d}-{i % 5:02d}", "seen": datetime(2024, 5, 1, 9, i % 60)}
        for i in range(count)
    )  # fmt: skip
    columns = [("code", "Folder"), ("title", "题名"), ("shelf", "Shelf"), ("seen", "Seen")]
    return Report("全库盘点 Stocktake", ["Warehouse A"], columns, rows, ["Checked by: ____"])


def peak_memory(count: int) -> tuple[int, int]:
    """Peak bytes allocated while writing a stocktake of `count` rows, and its pages."""
    tracemalloc.start()
    try:
        pages = write_pdf(stocktake(count), Discard())
        return tracemalloc.get_traced_memory()[1], pages
    finally:
        tracemalloc.stop()


def test_rows_stream_through_in_bounded_memory():
    write_pdf(stocktake(50), Discard())  # fonts and glyphs loaded once, outside the measure
    small, small_pages = peak_memory(1_000)
    large, large_pages = peak_memory(6_000)
    assert large_pages > 5 * small_pages
    # 6,000 rows held would be some 3 MB more; a page being drawn is under one MB.
    assert large < small + 1_000_000, (small, large)
    assert large < 8_000_000, large


def fake_measure(char: str) -> float:
    return 20.0 if ord(char) > 0x2E80 else 10.0


def test_wrap_breaks_chinese_anywhere_but_keeps_words_and_numbers_whole():
    assert wrap("2002年工业统计年报", fake_measure, 100) == ["2002年工业", "统计年报"]
    assert wrap("custody history report", fake_measure, 100) == ["custody", "history", "report"]
    assert wrap("统计年报，说明", fake_measure, 80) == ["统计年", "报，说明"]  # no line starts "，"
    assert wrap("WC-TJ-2002-0137", fake_measure, 60) == ["WC-TJ-", "2002-0", "137"]
    assert wrap("上\n\nB  c", fake_measure, 100) == ["上", "", "B c"]
    assert wrap("", fake_measure, 100) == [""]
    chance = random.Random(7)
    for _ in range(300):
        text = "".join(chance.choice("档案流转 ab12-，。 WC") for _ in range(chance.randrange(60)))
        width = chance.randrange(20, 200)
        lines = wrap(text, fake_measure, width)
        assert squeeze("".join(lines)) == squeeze(text)
        for line in lines:
            assert len(line) == 1 or sum(map(fake_measure, line)) <= width, (text, width, line)


def test_column_widths_give_narrow_columns_all_they_need_and_fill_the_page():
    code, title = "WC-TJ-2002-0137", "卷内文件按年度排列" * 20
    widths = column_widths(["Code", "题名", "No."], [[code, title, "7"]], fake_measure, 1000)
    assert sum(widths) == 1000
    assert widths[0] >= 150 + 2 * PAD_X and widths[2] >= 30 + 2 * PAD_X
    assert widths[1] == 1000 - widths[0] - widths[2]
    short = column_widths(["A", "B"], [["x", "yyyy"]], fake_measure, 1000)
    assert sum(short) == 1000 and short[1] > short[0]  # all fits: spread, the page spanned
    words = ["W" * 200] * 8  # even the longest words do not fit: the page is shared
    crowded = column_widths(list("ABCDEFGH"), [words], fake_measure, 1000)
    assert sum(crowded) == 1000 and min(crowded) >= 100


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    config = Config(path=tmp_path_factory.mktemp("web") / "vault.toml", database="sqlite://")
    app = bottle.Bottle()

    @app.get("/reports/custody")
    def custody() -> object:
        count = int(bottle.request.query.get("rows", "40"))
        return send_report(config, report(count), bottle.request.query.get("format", ""))

    with serving(app) as base:
        yield base + "/reports/custody"


def fetch(url: str) -> tuple[dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return dict(answer.headers), answer.read()


def test_the_page_shows_the_report_and_links_its_files(site):
    headers, body = fetch(site + "?lang=zh&rows=40&q=%E5%BC%A0")
    page = body.decode()
    assert "2002年工业统计年报（机密）流转记录" in page
    assert "<th>案卷</th>" in page  # a heading the catalog knows is translated
    assert "下载" in page and "&lt;b&gt;&amp;amp;" in page and "<b>&amp;" not in page
    links = dict(re.findall(r'id="report-(csv|pdf)" href="([^"]+)"', page))
    assert html.unescape(links["csv"]) == "?lang=zh&rows=40&q=%E5%BC%A0&format=csv"
    assert page.count("<tr>") == 41 and 'id="more-rows"' not in page
    _, many = fetch(site + f"?lang=en&rows={SHOWN_ROWS + 5}")
    assert many.decode().count("<tr>") == SHOWN_ROWS + 1 and b'id="more-rows"' in many


def test_the_csv_and_the_pdf_carry_every_row(site, tmp_path):
    headers, body = fetch(site + "?lang=zh&rows=900&format=csv")
    assert headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"] == 'attachment; filename="custody-history.csv"'
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0][0] == "案卷" and len(table) == 901
    assert table[1:] == [[cell_text(r[k]) for k, _ in COLUMNS] for r in rows(900)]
    headers, body = fetch(site + "?lang=zh&rows=900&format=pdf")
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="custody-history.pdf"'
    assert int(headers["Content-Length"]) == len(body) and body.startswith(b"%PDF-")
    pdf = tmp_path / "download.pdf"
    pdf.write_bytes(body)
    text = extract(pdf)
    assert "第1页" in squeeze(text) and f"第{pages_of(pdf)}页" in squeeze(text)
    assert "WC-TJ-2003-0899" in text
