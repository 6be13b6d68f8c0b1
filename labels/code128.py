"""labels: folder -> printed label. The Code 128 symbol on each label.

python-barcode does the encoding (including switching to code set C for digit runs, which keeps
folder codes like "WC-TJ-2002-0137" short); the bars are drawn here as plain rectangles because
the writer classes of python-barcode re-render a whole image per call, which is far too slow
for batches of thousands of labels.

Scanner rules enforced here: the module (narrowest bar) is a whole number of printer dots and
never narrower than 0.25 mm, and there are at least 10 modules of white on both sides. A code
that does not fit is refused (BarcodeTooWide) rather than shrunk, because a shrunk symbol
prints but fails at the shelf.
"""

from __future__ import annotations

import math

import barcode
from barcode.errors import BarcodeError
from PIL import ImageDraw

MIN_MODULE_MM = 0.25
QUIET_ZONE_MODULES = 10
MIN_BAR_HEIGHT_MM = 10.0
MM_PER_INCH = 25.4


class BarcodeTooWide(ValueError):
    """A folder code is too long for the label at the minimum readable module width."""


def modules(code: str) -> str:
    """The Code 128 module string of a folder code: '1' is a bar module, '0' a space."""
    if not code:
        raise ValueError("A folder code is required to print a barcode label.")
    try:
        return barcode.get("code128", code).build()[0]
    except BarcodeError as error:
        raise ValueError(f"Folder code {code!r} cannot be printed as Code 128: {error}") from error


def module_px(dpi: int) -> int:
    """Narrowest bar in printer dots: whole dots (no dithered edges), at least 0.25 mm."""
    # The small tolerance keeps 0.25 mm at exactly representable resolutions from rounding up.
    return max(1, math.ceil(MIN_MODULE_MM * dpi / MM_PER_INCH - 1e-9))


def symbol_px(bars: str, dpi: int) -> int:
    """Width of the symbol including both quiet zones, in dots."""
    return (len(bars) + 2 * QUIET_ZONE_MODULES) * module_px(dpi)


def check_fits(code: str, bars: str, dpi: int, available_px: int, label_width_mm: float) -> None:
    """Raise BarcodeTooWide if the symbol with its quiet zones exceeds the printable width."""
    needed_px = symbol_px(bars, dpi)
    if needed_px <= available_px:
        return
    needed_mm = needed_px * MM_PER_INCH / dpi
    available_mm = available_px * MM_PER_INCH / dpi
    raise BarcodeTooWide(
        f"Folder code {code!r} needs {needed_mm:.1f} mm of barcode ({len(bars)} modules plus "
        f"quiet zones at {module_px(dpi) * MM_PER_INCH / dpi:.3f} mm each), but a "
        f"{label_width_mm:g} mm wide label leaves only {available_mm:.1f} mm inside its "
        f"margins. Use a shorter folder code or a wider label stock."
    )


def draw_barcode(
    draw: ImageDraw.ImageDraw, x: int, y: int, modules: str, module_px: int, height_px: int
) -> int:
    """Draw the bars with their left edge at x (quiet zones not included); return the width."""
    start = None
    for i, bit in enumerate(modules + "0"):  # the sentinel closes a trailing bar
        if bit == "1" and start is None:
            start = i
        elif bit != "1" and start is not None:
            # One rectangle per bar, not per module: fewer calls and no seams between modules.
            draw.rectangle(
                (x + start * module_px, y, x + i * module_px - 1, y + height_px - 1), fill=0
            )
            start = None
    return len(modules) * module_px
