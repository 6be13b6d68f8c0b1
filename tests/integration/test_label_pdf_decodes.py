"""labels: folder -> printed label. The PDF as a printer and a scanner would see it.

Writes real label sheets, checks the page boxes with poppler's pdfinfo, rasterises them with
pdftoppm at printer resolution and decodes every barcode with zxing-cpp, a decoder that shares
no code with python-barcode. The decoded data must be exactly what each label carries, also
after the label has been through a worn printer and stuck on askew (tests.degrade).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageOps

from labels import (
    AVERY_5160,
    AVERY_L7160,
    AVERY_L7163,
    AVERY_L7651,
    BarcodeTooWide,
    LabelContent,
    render_label,
    write_sheets,
)
from labels.render import plan_label
from tests.degrade import Wear, degrade

pytestmark = pytest.mark.no_database  # label images and PDFs only: run once, not per database

A4_POINTS = (210 / 25.4 * 72, 297 / 25.4 * 72)
MARKINGS = [
    ("机密★ 30年", True),
    ("绝密★ 长期", True),
    ("秘密★ 10年", True),
    ("内部", False),
    ("公开", False),
]


@pytest.fixture(scope="module")
def poppler() -> None:
    for tool in ("pdfinfo", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed to check printed labels: install poppler-utils")


def folder(i: int, code: str | None = None) -> LabelContent:
    """A folder with a Chinese title; every third label is a reprint carrying its generation."""
    code = code or f"WC-TJ-{2000 + i % 7}-{i:04d}"
    generation = 1 + i % 3
    return LabelContent(
        code=code,
        title=f"{2000 + i % 7}年全县农业普查汇总表（第{i}卷）乡镇分册、统计说明与历年对照",
        marking=MARKINGS[i % len(MARKINGS)][0],
        classified=MARKINGS[i % len(MARKINGS)][1],
        location=f"A-{i % 12:02d}-{i % 5:02d}" if i % 3 else "",
        barcode=f"{code}+{generation}" if generation > 1 else "",
        generation=generation,
    )


@pytest.fixture
def folders() -> list[LabelContent]:
    """25 folders: more than one L7160 sheet, Chinese titles, every kind of marking."""
    return [folder(i) for i in range(25)]


def decode_code128(image: Image.Image) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
    ]


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "1000", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]


def rasterise(pdf: Path, out_dir: Path, last_page: int = 1000) -> list[Path]:
    result = subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-gray",
            "-l",
            str(last_page),
            "-png",
            str(pdf),
            str(out_dir / "page"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == "", result.stderr  # poppler reports malformed PDFs on stderr
    return sorted(out_dir.glob("page-*.png"))


def test_sheets_are_exact_a4_and_every_barcode_decodes(
    poppler: None, folders: list[LabelContent], tmp_path: Path
) -> None:
    pdf = tmp_path / "labels.pdf"
    written = write_sheets((folder for folder in folders), pdf)  # any iterable, even one-shot
    assert written == 25

    sizes = page_sizes(pdf)
    assert len(sizes) == 2  # 21 + 4 on L7160
    for width, height in sizes:
        assert width == pytest.approx(A4_POINTS[0], abs=0.01)
        assert height == pytest.approx(A4_POINTS[1], abs=0.01)

    pages = rasterise(pdf, tmp_path)
    assert len(pages) == 2
    per_page = [decode_code128(Image.open(page)) for page in pages]
    assert [len(codes) for codes in per_page] == [21, 4]
    decoded = [code for codes in per_page for code in codes]
    assert sorted(decoded) == sorted(folder.barcode_data for folder in folders)
    assert any("+" in code for code in decoded)  # reprints carry their generation


@pytest.mark.parametrize(
    ("stock", "code"),
    [(AVERY_L7163, None), (AVERY_5160, None), (AVERY_L7651, "F{i:04d}")],
)
def test_every_barcode_on_a_full_sheet_of_each_stock_decodes(
    poppler: None, stock, code: str | None, tmp_path: Path
) -> None:
    labels = [folder(i, code.format(i=i) if code else None) for i in range(stock.per_sheet)]
    pdf = tmp_path / "sheet.pdf"
    write_sheets(labels, pdf, stock)
    (page,) = rasterise(pdf, tmp_path)
    assert sorted(decode_code128(Image.open(page))) == sorted(f.barcode_data for f in labels)


def test_a_worn_printer_page_still_decodes(poppler: None, tmp_path: Path) -> None:
    """A whole printed sheet, blurred by a dot, speckled, with dropouts, turned 2-4 degrees."""
    labels = [folder(i) for i in range(21)]
    pdf = tmp_path / "sheet.pdf"
    write_sheets(labels, pdf)
    (page,) = rasterise(pdf, tmp_path)
    clean = Image.open(page)
    for angle, seed in [(2.0, 1), (4.0, 2)]:
        worn = degrade(clean, Wear(angle=angle), seed=seed)
        assert sorted(decode_code128(worn)) == sorted(f.barcode_data for f in labels), angle


WORN_LABEL = folder(2, "WC-TJ-2002-0137")  # carries "WC-TJ-2002-0137+3", 222 modules


def worn_decodes(dpi: int, angle: float, seed: int) -> bool:
    """The label image a thermal or office printer gets, with the longest code L7160 takes."""
    size = (AVERY_L7160.label_width, AVERY_L7160.label_height)
    worn = degrade(render_label(WORN_LABEL, *size, dpi), Wear(angle=angle), seed=seed)
    return decode_code128(worn) == [WORN_LABEL.barcode_data]


@pytest.mark.parametrize(
    ("dpi", "angle"),
    [(dpi, angle) for dpi in (300, 600) for angle in (2.0, 3.0, 4.0)] + [(203, 2.0), (203, 3.0)],
)
def test_a_worn_single_label_still_decodes(dpi: int, angle: float) -> None:
    """Blurred by a printer dot, 1 % speckle, 3 % dropouts, stuck on 2-4 degrees askew."""
    for seed in range(3):
        assert worn_decodes(dpi, angle, seed), (dpi, angle, seed)


def test_at_203_dpi_four_degrees_askew_is_the_margin() -> None:
    """At 203 dpi the module is 2 dots, so a dot of blur is half a module: with 4 degrees of
    skew as well, zxing-cpp still reads 16 of these 20 worn labels (measured); fewer than 15
    would mean the symbol got worse."""
    assert sum(worn_decodes(203, 4.0, seed) for seed in range(20)) >= 15


def test_labels_land_where_the_stock_and_calibration_put_them(
    poppler: None, tmp_path: Path
) -> None:
    """Measured on the printed raster: the first label's banner corner, to a dot."""
    label = folder(0)  # classified: a solid black banner whose corner is easy to find
    pdf = tmp_path / "sheet.pdf"
    offset = (1.0, 2.0)
    write_sheets([label], pdf, AVERY_L7160, start=5, offset_mm=offset)
    (page,) = rasterise(pdf, tmp_path)
    plan = plan_label(label, AVERY_L7160.label_width, AVERY_L7160.label_height, 300)
    x_mm, y_mm = AVERY_L7160.label_origin(4)  # slot 5: second row, second column
    expect_x = (x_mm + offset[0]) * 300 / 25.4 + plan.marking.x
    expect_y = (y_mm + offset[1]) * 300 / 25.4 + plan.marking.y
    window = (
        round(expect_x) - 30,
        round(expect_y) - 30,
        round(expect_x) + 30,
        round(expect_y) + 30,
    )
    ink = ImageOps.invert(Image.open(page).convert("L").crop(window)).point(
        lambda v: 255 * (v > 127)
    )
    left, top, _, _ = ink.getbbox()
    assert (window[0] + left, window[1] + top) == pytest.approx((expect_x, expect_y), abs=1.0)


def test_a_single_label_image_decodes(folders: list[LabelContent]) -> None:
    folder = folders[1]
    image = render_label(folder, AVERY_L7160.label_width, AVERY_L7160.label_height, dpi=300)
    assert decode_code128(image) == [folder.barcode_data]


def test_a_failing_batch_leaves_no_pdf_behind(folders: list[LabelContent], tmp_path: Path) -> None:
    def batch() -> Iterator[LabelContent]:
        yield from folders * 4  # some pages reach the file before the failure
        yield LabelContent("WC-TJ-2002-0137-SUPPLEMENT-VOLUME-B", "汇总表", "内部", False)

    with pytest.raises(BarcodeTooWide):
        write_sheets(batch(), tmp_path / "labels.pdf")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_batch_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="No folder labels"):
        write_sheets([], tmp_path / "labels.pdf")
    assert list(tmp_path.iterdir()) == []
