"""labels: folder -> printed label. Placing labels on A4 sheets and writing the PDF.

The archive prints folder labels on pre-cut sheet stock in an ordinary office printer, so the
PDF has to be the sheet itself: every page exactly the stock's paper size, printed at 100 %,
with each label bitmap at the stock's published position.

Batches can run to thousands of folders, so pages are rendered one at a time and written in
small groups. Pillow's PDF writer collects every appended page in a list before writing (it
needs the page count for the page tree), so a single save_all over the whole batch would hold
every page bitmap in memory at once; appending group by group (append=True) bounds memory to
one group whatever the batch size.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from labels.code128 import MM_PER_INCH
from labels.content import LabelContent
from labels.render import px, render_label

PAGES_PER_WRITE = 4  # pages held in memory at once, about 9 MB each for A4 at 300 dpi


@dataclass(frozen=True)
class SheetStock:
    """Geometry of a label sheet in millimetres; a pitch runs from one label to the next."""

    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    left_margin: float
    top_margin: float
    horizontal_pitch: float
    vertical_pitch: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def label_origin(self, slot: int) -> tuple[float, float]:
        """Top-left corner in mm of the label in a slot, counted across rows from top left."""
        row, column = divmod(slot, self.columns)
        return (
            self.left_margin + column * self.horizontal_pitch,
            self.top_margin + row * self.vertical_pitch,
        )


# Avery's published L7160 template: A4, 21 labels of 63.5 x 38.1 mm, no gap between rows.
AVERY_L7160 = SheetStock(
    name="Avery L7160",
    page_width=210.0,
    page_height=297.0,
    columns=3,
    rows=7,
    label_width=63.5,
    label_height=38.1,
    left_margin=7.25,
    top_margin=15.15,
    horizontal_pitch=66.04,
    vertical_pitch=38.1,
)


def write_sheets(
    labels: Iterable[LabelContent],
    path: str | os.PathLike[str],
    stock: SheetStock = AVERY_L7160,
    dpi: int = 300,
) -> int:
    """Write a PDF of label sheets; return the number of labels written.

    The file appears only when complete: a folder code that cannot be printed (for example
    BarcodeTooWide) part-way through a batch leaves no half-written PDF behind.
    """
    target = Path(path)
    counted = _Counter(labels)
    pages = _pages(counted, stock, dpi)
    options = {"format": "PDF", "save_all": True, "dpi": _exact_dpi(stock, dpi)}
    # Same directory so the final rename is atomic; created by Pillow so the umask applies.
    temp_name = str(target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp"))
    try:
        if not _write_group(pages, temp_name, append=False, title=target.stem, **options):
            raise ValueError("No folder labels to print.")
        while _write_group(pages, temp_name, append=True, **options):
            pass
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return counted.count


def render_page(labels: list[LabelContent], stock: SheetStock, dpi: int = 300) -> Image.Image:
    """One sheet as a 1-bit page image; labels fill slots across rows from the top left."""
    page = Image.new("1", (px(stock.page_width, dpi), px(stock.page_height, dpi)), 1)
    for slot, label in enumerate(labels):
        x_mm, y_mm = stock.label_origin(slot)
        image = render_label(label, stock.label_width, stock.label_height, dpi)
        page.paste(image, (px(x_mm, dpi), px(y_mm, dpi)))
    return page


class _Counter:
    """Counts labels as the page generator consumes them, since the input may be a generator."""

    def __init__(self, labels: Iterable[LabelContent]) -> None:
        self._labels = iter(labels)
        self.count = 0

    def __iter__(self) -> Iterator[LabelContent]:
        for label in self._labels:
            self.count += 1
            yield label


def _pages(labels: Iterable[LabelContent], stock: SheetStock, dpi: int) -> Iterator[Image.Image]:
    source = iter(labels)
    while batch := list(itertools.islice(source, stock.per_sheet)):
        yield render_page(batch, stock, dpi)


def _exact_dpi(stock: SheetStock, dpi: int) -> tuple[float, float]:
    """Resolution that makes the PDF page box exactly the stock's paper size.

    The page bitmap is a whole number of dots (A4 at 300 dpi is 2480 x 3508, i.e. 209.97 x
    297.01 mm); declaring the resolution as dots per exact paper width puts the MediaBox on
    210 x 297 mm so printers do not rescale or shift the page. The correction is < 0.02 %.
    """
    width_px, height_px = px(stock.page_width, dpi), px(stock.page_height, dpi)
    return (
        width_px * MM_PER_INCH / stock.page_width,
        height_px * MM_PER_INCH / stock.page_height,
    )


def _write_group(pages: Iterator[Image.Image], filename: str, **options: object) -> bool:
    """Render and write the next few pages; False when there were none left.

    A function of its own so the group's page bitmaps are released before the next group is
    rendered (each 1-bit A4 page takes about 9 MB in memory: Pillow keeps a byte per pixel).
    """
    group = list(itertools.islice(pages, PAGES_PER_WRITE))
    if group:
        group[0].save(filename, append_images=iter(group[1:]), **options)
    return bool(group)
