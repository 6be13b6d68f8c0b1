"""labels: folder -> printed label. The PDF as a printer and a scanner would see it.

Writes real label sheets, checks the page boxes with poppler's pdfinfo, rasterises them with
pdftoppm at printer resolution and decodes every barcode with zxing-cpp, a decoder that shares
no code with python-barcode. The decoded codes must be exactly the folder codes written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from labels import AVERY_L7160, BarcodeTooWide, LabelContent, render_label, write_sheets

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


@pytest.fixture
def folders() -> list[LabelContent]:
    """25 folders: more than one L7160 sheet, Chinese titles, every kind of marking."""
    return [
        LabelContent(
            code=f"WC-TJ-{2000 + i % 7}-{i:04d}",
            title=f"{2000 + i % 7}年全县农业普查汇总表（第{i}卷）乡镇分册、统计说明与历年对照",
            marking=MARKINGS[i % len(MARKINGS)][0],
            classified=MARKINGS[i % len(MARKINGS)][1],
            location=f"A-{i % 12:02d}-{i % 5:02d}" if i % 3 else "",
        )
        for i in range(25)
    ]


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


def rasterise(pdf: Path, out_dir: Path) -> list[Path]:
    result = subprocess.run(
        ["pdftoppm", "-r", "300", "-png", str(pdf), str(out_dir / "page")],
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
    assert sorted(decoded) == sorted(folder.code for folder in folders)


def test_a_single_label_image_decodes(folders: list[LabelContent]) -> None:
    folder = folders[0]
    image = render_label(folder, AVERY_L7160.label_width, AVERY_L7160.label_height, dpi=300)
    assert decode_code128(image) == [folder.code]


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
