"""labels: folder -> printed label. Sheet stocks: where every label lands on the paper.

The PDF is read back here without the writer's help: objects are found through the file's
own cross-reference table, pages through the page tree, each page's size from its MediaBox
and each label's rectangle from the `cm` matrix that places its image. Those positions are
compared with the makers' published template numbers, written out below, to 0.1 mm.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labels import (
    STOCKS,
    LabelContent,
    LabelTooSmall,
    SheetStock,
    find_stock,
    write_sheets,
)

MM_PER_PT = 25.4 / 72
INCH = 25.4
# name: paper (mm), columns x rows, label w x h, left and top margin, horizontal and vertical
# pitch. Avery's A4 templates (mm) and US Letter templates (inches).
PUBLISHED = {
    "L7160": ((210, 297), (3, 7), (63.5, 38.1), (7.21, 15.15), (66.04, 38.1)),
    "L7163": ((210, 297), (2, 7), (99.1, 38.1), (4.65, 15.15), (101.6, 38.1)),
    "L7651": ((210, 297), (5, 13), (38.1, 21.2), (4.67, 10.7), (40.64, 21.2)),
    "5160": (
        (8.5 * INCH, 11 * INCH),
        (3, 10),
        (2.625 * INCH, 1 * INCH),
        (3 / 16 * INCH, 0.5 * INCH),
        (2.75 * INCH, 1 * INCH),
    ),
    "5163": (
        (8.5 * INCH, 11 * INCH),
        (2, 5),
        (4 * INCH, 2 * INCH),
        (5 / 32 * INCH, 0.5 * INCH),
        (4.1875 * INCH, 2 * INCH),
    ),
}


def folders(count: int) -> list[LabelContent]:
    """Short codes, so that even the 38.1 mm wide L7651 takes them."""
    return [
        LabelContent(f"F{i:04d}", "全县农业普查汇总表", "机密★ 30年", True) for i in range(count)
    ]


# --- reading the PDF back ---------------------------------------------------------------------


def pdf_objects(data: bytes) -> dict[int, bytes]:
    """Every object's text from its xref offset, checking the offsets point at the objects."""
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    head = re.match(rb"xref\s+0 (\d+)\s+", data[start:])
    assert head, "no cross-reference table where startxref points"
    count, table = int(head.group(1)), start + head.end()
    objects = {}
    for number in range(1, count):
        entry = data[table + 20 * number : table + 20 * number + 20]
        offset = int(entry[:10])
        assert data[offset:].startswith(b"%d 0 obj" % number), f"xref wrong for {number}"
        objects[number] = data[offset : data.index(b"endobj", offset)]
    return objects


def ref(text: bytes, key: bytes) -> int:
    return int(re.search(rb"/" + key + rb" (\d+) 0 R", text).group(1))


def stream(obj: bytes) -> bytes:
    length = int(re.search(rb"/Length (\d+)", obj).group(1))
    begin = obj.index(b"stream\n") + len(b"stream\n")
    return obj[begin : begin + length]


def read_pages(pdf: Path) -> list[tuple[tuple[float, float], list[tuple[float, ...]]]]:
    """Per page: (width, height) in mm and each image's (left, top, width, height) in mm."""
    data = pdf.read_bytes()
    objects = pdf_objects(data)
    trailer = data[data.rindex(b"trailer") :]
    tree = objects[ref(objects[ref(trailer, b"Root")], b"Pages")]
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", tree)[1])]
    pages = []
    for kid in kids:
        page = objects[kid]
        box = [float(v) for v in re.search(rb"/MediaBox \[([^\]]*)\]", page)[1].split()]
        assert box[:2] == [0.0, 0.0]
        width, height = box[2] * MM_PER_PT, box[3] * MM_PER_PT
        content = stream(objects[ref(page, b"Contents")])
        labels = []
        for m in re.finditer(rb"q (\S+) 0 0 (\S+) (\S+) (\S+) cm /(\w+) Do Q", content):
            w, h, x, y = (float(v) * MM_PER_PT for v in m.groups()[:4])
            labels.append((x, height - y - h, w, h))
        pages.append(((width, height), labels))
    return pages


def expected(name: str, slot: int) -> tuple[float, float]:
    _, (columns, _), _, (left, top), (across, down) = PUBLISHED[name]
    row, column = divmod(slot, columns)
    return left + column * across, top + row * down


# --- published stocks ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_every_label_lands_on_the_published_position(name: str, tmp_path: Path) -> None:
    stock = find_stock(name)
    paper, (columns, rows), (label_w, label_h), _, _ = PUBLISHED[name]
    pdf = tmp_path / "sheet.pdf"
    assert write_sheets(folders(columns * rows + 1), pdf, stock) == columns * rows + 1
    pages = read_pages(pdf)
    assert [len(labels) for _, labels in pages] == [columns * rows, 1]
    for size, _ in pages:
        assert size == pytest.approx(paper, abs=0.01)  # the page is the paper, to 0.03 pt
    for slot, (x, y, w, h) in enumerate(pages[0][1] + pages[1][1]):
        x0, y0 = expected(name, slot % (columns * rows))
        assert (x, y) == pytest.approx((x0, y0), abs=0.1), f"slot {slot}"
        assert (w, h) == pytest.approx((label_w, label_h), abs=0.1)


def test_published_stocks_are_real_sheets() -> None:
    """Margins come out even on both sides: a typo in a pitch or margin would not."""
    for stock in STOCKS:
        last_x, last_y = stock.label_origin(stock.per_sheet - 1)
        right = stock.page_width - last_x - stock.label_width
        bottom = stock.page_height - last_y - stock.label_height
        assert right == pytest.approx(stock.left_margin, abs=0.1), stock.name
        assert bottom == pytest.approx(stock.top_margin, abs=0.1), stock.name


def test_start_slot_skips_the_used_labels_of_a_sheet(tmp_path: Path) -> None:
    pdf = tmp_path / "sheet.pdf"
    write_sheets(folders(20), pdf, find_stock("L7160"), start=5)
    (_, first), (_, second) = read_pages(pdf)
    assert len(first) == 17 and len(second) == 3  # slots 5..21, then a fresh sheet
    for slot, (x, y, _, _) in zip(range(4, 21), first, strict=True):
        assert (x, y) == pytest.approx(expected("L7160", slot), abs=0.1)
    assert second[0][:2] == pytest.approx(expected("L7160", 0), abs=0.1)


def test_calibration_offset_moves_every_label_exactly(tmp_path: Path) -> None:
    stock = find_stock("5160")
    write_sheets(folders(30), tmp_path / "plain.pdf", stock)
    write_sheets(folders(30), tmp_path / "moved.pdf", stock, offset_mm=(1.5, -0.7))
    ((_, plain),), ((_, moved),) = (
        read_pages(tmp_path / "plain.pdf"),
        read_pages(tmp_path / "moved.pdf"),
    )
    for (x, y, w, h), (mx, my, mw, mh) in zip(plain, moved, strict=True):
        assert (mx - x, my - y) == pytest.approx((1.5, -0.7), abs=0.001)  # right 1.5, up 0.7
        assert (mw, mh) == (w, h)


def test_progress_is_reported_as_labels_are_written(tmp_path: Path) -> None:
    seen: list[int] = []
    write_sheets(folders(25), tmp_path / "sheet.pdf", progress=seen.append)
    assert seen == list(range(1, 26))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"start": 0}, "1 to 21"),
        ({"start": 22}, "1 to 21"),
        ({"offset_mm": (12.0, 0.0)}, "at most 10 mm"),
        ({"dpi": 0}, "dpi"),
    ],
)
def test_bad_print_options_are_refused(options: dict, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=message):
        write_sheets(folders(1), tmp_path / "sheet.pdf", **options)
    assert list(tmp_path.iterdir()) == []


# --- finding and defining stocks ----------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "name"),
    [
        ("L7160", "Avery L7160"),
        ("avery l7160", "Avery L7160"),
        ("AVERY L7163", "Avery L7163"),
        (" l7651 ", "Avery L7651"),
        ("5160", "Avery 5160"),
        ("Avery 5163", "Avery 5163"),
    ],
)
def test_stocks_are_found_by_name_ignoring_case_and_spaces(asked: str, name: str) -> None:
    assert find_stock(asked).name == name


def test_unknown_stock_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="L9999.*Avery L7160.*Avery 5163"):
        find_stock("L9999")


HERMA = {
    "name": "Herma 4360",
    "page": "A4",
    "columns": 3,
    "rows": 8,
    "label_width": 70,
    "label_height": 36,
    "left_margin": 0,
    "top_margin": 4.5,
}


def test_user_defined_stock_from_the_configuration(tmp_path: Path) -> None:
    stock = SheetStock.from_mapping(HERMA)
    assert (stock.page_width, stock.page_height) == (210.0, 297.0)
    assert (stock.horizontal_pitch, stock.vertical_pitch) == (70.0, 36.0)  # edge to edge
    letter = SheetStock.from_mapping({**HERMA, "page": "letter", "rows": 7})
    assert (letter.page_width, letter.page_height) == (215.9, 279.4)
    sized = SheetStock.from_mapping({**HERMA, "page": [215, 300], "horizontal_pitch": 71})
    assert (sized.page_width, sized.page_height, sized.horizontal_pitch) == (215.0, 300.0, 71.0)
    write_sheets(folders(25), tmp_path / "herma.pdf", stock)
    (_, labels), _ = read_pages(tmp_path / "herma.pdf")
    assert labels[4][:2] == pytest.approx((70.0, 40.5), abs=0.1)  # row 2, column 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"label_width": 80}, "run off the page across.*30.00 mm too far"),
        ({"rows": 9}, "run off the page down"),
        ({"horizontal_pitch": 60}, "overlap across.*60 mm.*70 mm"),
        ({"vertical_pitch": 30}, "overlap down"),
        ({"colums": 3}, "unknown setting.*colums"),
        ({"columns": 0}, "columns must be a whole number"),
        ({"columns": 2.5}, "columns must be a whole number"),
        ({"top_margin": -1}, "top_margin must be 0 mm or more"),
        ({"label_height": "36"}, "label_height must be a number"),
        ({"page": "A5"}, "A5.*not A4 or Letter"),
        ({"name": ""}, "name is missing"),
        ({"page": None}, "page_width is missing"),
    ],
)
def test_user_defined_stock_errors_say_what_is_wrong(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SheetStock.from_mapping({**HERMA, **change})


def test_stock_too_short_for_a_barcode_is_refused_by_name(tmp_path: Path) -> None:
    tape = SheetStock.from_mapping({**HERMA, "name": "Narrow tape", "label_height": 18})
    with pytest.raises(LabelTooSmall, match="Narrow tape labels"):
        write_sheets(folders(3), tmp_path / "tape.pdf", tape)
    assert list(tmp_path.iterdir()) == []
