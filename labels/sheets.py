"""labels: folder -> printed label. Placing labels on sheets and writing the PDF.

The archive prints folder labels on pre-cut sheet stock in an ordinary office printer, so the
PDF has to be the sheet itself: every page exactly the stock's paper size, printed at 100 %,
with each label bitmap at the stock's published position, moved by the printer's calibration
offset. A partly used sheet can be finished first: the batch may start at any slot.

Batches can run to thousands of folders, so each label is drawn, written to the file and
forgotten (labels.pdf); memory stays flat whatever the batch size.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from labels.content import LabelContent
from labels.pdf import PdfWriter, Placement, points
from labels.render import check_label_size, compose_label, plan_label
from labels.stocks import AVERY_L7160, SheetStock

__all__ = ["AVERY_L7160", "SheetStock", "write_sheets"]

# Measured on labels with Chinese titles: level 1 takes 0.11 ms and 2.8 kB per label, the
# default 6 takes 0.22 ms for 2.4 kB; mostly-white 1-bit rows compress well at any level.
FLATE_LEVEL = 1
MAX_OFFSET_MM = 10.0  # a calibration beyond this is a typo, not a printer
WRITE_BUFFER = 1 << 20


def write_sheets(
    labels: Iterable[LabelContent],
    path: str | os.PathLike[str],
    stock: SheetStock = AVERY_L7160,
    dpi: int = 300,
    start: int = 1,
    offset_mm: tuple[float, float] = (0.0, 0.0),
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a PDF of label sheets; return the number of labels written.

    start is the slot (from 1, across rows from the top left) of the first label on the first
    sheet; offset_mm moves every label right and down to correct a printer's placement;
    progress is called with the number of labels written so far as each one is written.

    The file appears only when complete: a folder code that cannot be printed (for example
    BarcodeTooWide) part-way through a batch leaves no half-written PDF behind.
    """
    _check_options(stock, dpi, start, offset_mm)
    check_label_size(stock.label_width, stock.label_height, dpi, stock.name)
    target = Path(path)
    # Same directory so the final rename is atomic; "x" mode creates it with the umask.
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temp, "xb", buffering=WRITE_BUFFER) as file:
            count = _write(labels, file, stock, dpi, start, offset_mm, progress, target.stem)
        if count == 0:
            raise ValueError("No folder labels to print.")
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count


def _write(
    labels: Iterable[LabelContent],
    file: BinaryIO,
    stock: SheetStock,
    dpi: int,
    start: int,
    offset_mm: tuple[float, float],
    progress: Callable[[int], None] | None,
    title: str,
) -> int:
    """Draw and write each label, closing a page whenever a sheet is full."""
    pdf = PdfWriter(file, title, FLATE_LEVEL)
    page = (points(stock.page_width), points(stock.page_height))
    placed: list[Placement] = []
    slot, count = start - 1, 0
    for label in labels:
        plan = plan_label(label, stock.label_width, stock.label_height, dpi, stock.name)
        bitmap = compose_label(label, plan, dpi)
        # Packed rows with a set bit for a black dot: what the image mask paints.
        number = pdf.image_mask(bitmap.width, bitmap.height, bitmap.tobytes())
        size = (bitmap.width, bitmap.height)
        placed.append(_placement(number, size, stock, slot, dpi, offset_mm, page[1]))
        count, slot = count + 1, slot + 1
        if slot == stock.per_sheet:
            pdf.page(*page, placed)
            placed, slot = [], 0
        if progress is not None:
            progress(count)
    if placed:
        pdf.page(*page, placed)
    pdf.close()
    return count


def _placement(
    image: int,
    size_px: tuple[int, int],
    stock: SheetStock,
    slot: int,
    dpi: int,
    offset_mm: tuple[float, float],
    page_height_pt: float,
) -> Placement:
    """The label's bitmap at its slot, one bitmap dot per printer dot.

    The bitmap is scaled at exactly the print resolution (its size is the label's, rounded
    to whole dots) so bars stay whole dots wide; its top-left corner is at the label's.
    """
    x_mm, y_mm = stock.label_origin(slot)
    width, height = (dots * 72.0 / dpi for dots in size_px)
    top = points(y_mm + offset_mm[1])
    return Placement(
        image, points(x_mm + offset_mm[0]), page_height_pt - top - height, width, height
    )


def _check_options(stock: SheetStock, dpi: int, start: int, offset_mm: tuple[float, float]) -> None:
    if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi < 1:
        raise ValueError(f"The printer resolution must be a whole number of dpi, got {dpi!r}.")
    if isinstance(start, bool) or not isinstance(start, int) or not 1 <= start <= stock.per_sheet:
        raise ValueError(
            f"The first label's position must be 1 to {stock.per_sheet} on a {stock.name} "
            f"sheet (counted across rows from the top left), got {start!r}."
        )
    if len(offset_mm) != 2 or not all(
        isinstance(v, int | float) and math.isfinite(v) and abs(v) <= MAX_OFFSET_MM
        for v in offset_mm
    ):
        raise ValueError(
            f"The printer calibration offset must be two distances of at most "
            f"{MAX_OFFSET_MM:g} mm (right, down), got {offset_mm!r}."
        )
