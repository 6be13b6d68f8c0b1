"""labels: folder -> printed label. The Code 128 symbol on each label.

python-barcode does the encoding (including switching to code set C for digit runs, which keeps
folder codes like "WC-TJ-2002-0137" short); the bars are drawn here, as one packed row repeated
to the bar height, because the writer classes of python-barcode paint every bar and space
as a rectangle of a new image per call, which is far too slow for batches of thousands.

Scanner rules enforced here, at every printer resolution:

- the X dimension (narrowest bar) is a whole number of printer dots, never under 0.25 mm;
- at least 10 X of white on both sides (quiet zones); they may reach into the label's inner
  margin down to 0.5 mm from the die-cut edge (sheet placement tolerance), while the bars
  themselves stay inside the inner margin;
- bars at least max(10 mm, 15 % of the symbol length) tall.

A code that does not fit is refused (BarcodeTooWide) rather than shrunk, because a shrunk
symbol prints but fails at the shelf.
"""

from __future__ import annotations

import math

import barcode
from barcode.errors import BarcodeError

MIN_MODULE_MM = 0.25
QUIET_ZONE_MODULES = 10
MIN_BAR_HEIGHT_MM = 10.0
BAR_HEIGHT_SHARE = 0.15  # of the symbol length, quiet zones included
QUIET_EDGE_MM = 0.5  # quiet zones end at least this far from the die-cut edge
MM_PER_INCH = 25.4


class BarcodeTooWide(ValueError):
    """A folder code is too long for the label at the minimum readable module width."""


def modules(data: str) -> str:
    """The Code 128 module string of the data: '1' is a bar module, '0' a space."""
    if not data:
        raise ValueError("A folder code is required to print a barcode label.")
    try:
        return barcode.get("code128", data).build()[0]
    except BarcodeError as error:
        raise ValueError(f"Folder code {data!r} cannot be printed as Code 128: {error}") from error


def module_px(dpi: int) -> int:
    """Narrowest bar in printer dots: whole dots (no dithered edges), at least 0.25 mm."""
    # The small tolerance keeps 0.25 mm at exactly representable resolutions from rounding up.
    return max(1, math.ceil(MIN_MODULE_MM * dpi / MM_PER_INCH - 1e-9))


def symbol_px(bars: str, dpi: int) -> int:
    """Width of the symbol including both quiet zones, in dots."""
    return (len(bars) + 2 * QUIET_ZONE_MODULES) * module_px(dpi)


def min_bar_height_px(bars: str, dpi: int) -> int:
    """Shortest allowed bars in whole dots: 10 mm, or 15 % of a long symbol's length."""
    symbol_mm = symbol_px(bars, dpi) * MM_PER_INCH / dpi
    height_mm = max(MIN_BAR_HEIGHT_MM, BAR_HEIGHT_SHARE * symbol_mm)
    return math.ceil(height_mm * dpi / MM_PER_INCH - 1e-9)


def edge_px(mm: float, dpi: int) -> int:
    """A distance from the die-cut edge in whole dots, never less than asked for."""
    return math.ceil(mm * dpi / MM_PER_INCH - 1e-9)


def check_fits(
    code: str, data: str, bars: str, dpi: int, label_px: int, label_width_mm: float
) -> None:
    """Raise BarcodeTooWide unless the symbol and its quiet zones fit across the label."""
    needed_px = symbol_px(bars, dpi)
    available_px = label_px - 2 * edge_px(QUIET_EDGE_MM, dpi)
    if needed_px <= available_px:
        return
    x_mm = module_px(dpi) * MM_PER_INCH / dpi
    carried = "" if data == code else f" (barcode {data!r})"
    raise BarcodeTooWide(
        f"Folder code {code!r}{carried} needs {needed_px * MM_PER_INCH / dpi:.1f} mm for its "
        f"barcode ({len(bars)} modules of {x_mm:.3f} mm plus {QUIET_ZONE_MODULES}-module quiet "
        f"zones), but a {label_width_mm:g} mm wide label has only "
        f"{available_px * MM_PER_INCH / dpi:.1f} mm available ({QUIET_EDGE_MM:g} mm kept clear "
        f"at each edge). Use a shorter folder code or a wider label stock."
    )


def bar_dots(bars: str, module: int) -> int:
    """One row of the bars as packed bits, leftmost dot most significant, set bit = bar;
    each module exactly `module` dots wide. Every row of the symbol is this row."""
    # Two replaces beat str.translate, which looks each character up in a dict.
    return int(bars.replace("1", "1" * module).replace("0", "0" * module), 2)
