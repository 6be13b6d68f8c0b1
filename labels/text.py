"""labels: folder -> printed label. Fitting titles into lines and drawing them.

Folder titles are mostly Chinese, which may break between any two characters, but they carry
years and numbers ("2002年") that must not be split across lines, and closing punctuation must
not start a line. A title that still does not fit is cut and ends with "…" so the reader can
tell the label is not showing the whole title.

Widths are sums of the cached per-character advances that line_band also uses, so a line
measured to fit is drawn exactly that wide (Chinese needs no kerning or shaping).

A line is drawn as a band of packed rows (labels.bitmap): each cached glyph, its rows already
spread to the bitmap's row length, goes in with one shift and one OR, with the pen positions
and rounding of Pillow's own text drawing, so the dots are FreeType's.
"""

from __future__ import annotations

import functools
import re

from PIL import Image, ImageFont

from labels.bitmap import EMPTY, Band, stride_bits
from labels.fonts import Glyph, glyph

ELLIPSIS = "…"
# Runs of Latin letters/digits stay together; every other character is its own break unit.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/]*|\s+|.", re.DOTALL)
# Closing punctuation sticks to the text before it, as Chinese typesetting expects.
_NO_LINE_START = set("，。、；：？！）》」』】〉”’,.;:?!)]}%")
REPEATED_LINES = 512  # locations, generations: a few kB each, about 1 MB in all
# A spread glyph takes a label row per glyph row (3 kB at 300 dpi, 12 kB at 600). Titles draw
# mostly on a few hundred common characters (measured with titles drawn Zipf-like from 3,500
# ideographs: 1,024 entries answer 88 % of look-ups), and a miss costs only a join (_spread);
# this keeps peak memory at or below that of the Pillow masks used before, even at 600 dpi.
SPREAD_GLYPHS = 1024


def width(text: str, font: ImageFont.FreeTypeFont) -> float:
    """Advance width of text in dots, as line_band lays it out."""
    return sum(glyph(font, char).advance for char in text)


def line_band(text: str, font: ImageFont.FreeTypeFont, x: int, bitmap_w: int) -> Band:
    """One line as a band of a bitmap `bitmap_w` dots wide, the pen starting at x; the band's
    top is relative to the baseline and it is just tall enough for the line's glyphs."""
    stride = stride_bits(bitmap_w)
    placed = []
    pen = float(x)
    for char in text:
        shape, spread = _spread(font, char, stride)
        if shape.height:
            placed.append((shape, spread, round(pen) + shape.left))
        pen += shape.advance
    if not placed:
        return EMPTY
    top = min(shape.top for shape, _, _ in placed)
    bottom = max(shape.top + shape.height for shape, _, _ in placed)
    bits = 0
    for shape, spread, left in placed:
        glyph_w = shape.width
        if left < 0 or left + glyph_w > bitmap_w:
            spread, left, glyph_w = _clip(shape, left, bitmap_w, stride)
        # Moves the glyph's bottom-right dot from the band's last bit to its place.
        bits |= spread << ((bottom - shape.top - shape.height) * stride + stride - glyph_w - left)
    return Band(top, bottom - top, bits)


@functools.lru_cache(maxsize=REPEATED_LINES)
def repeated_line_band(text: str, font: ImageFont.FreeTypeFont, x: int, bitmap_w: int) -> Band:
    """line_band, kept for the strings that recur across a batch (shelf locations, "G2")."""
    return line_band(text, font, x, bitmap_w)


def draw_line(
    image: Image.Image, x: int, baseline: int, text: str, font: ImageFont.FreeTypeFont, ink: int
) -> None:
    """Draw one line on a mode "1" image with its pen starting at x on the baseline: the
    line's band used as a mask, so the dots are exactly those of a label."""
    band = line_band(text, font, x, image.width)
    if band.bits:
        packed = band.bits.to_bytes(band.rows * stride_bits(image.width) // 8)
        # Raw "1": a set bit is 255 in the mask, where the ink goes.
        mask = Image.frombytes("1", (image.width, band.rows), packed, "raw", "1")
        image.paste(ink, (0, baseline + band.top), mask)


def wrap(text: str, font: ImageFont.FreeTypeFont, max_px: int, max_lines: int) -> list[str]:
    """Break text into at most max_lines lines no wider than max_px, ellipsising the last."""
    text = " ".join(text.split())  # titles come from forms: collapse stray newlines and tabs
    lines: list[str] = []
    rest = _units(text)
    while rest and len(lines) < max_lines:
        line, rest = _take_line(rest, font, max_px)
        lines.append(line)
    if rest and lines:
        lines[-1] = ellipsise(lines[-1], font, max_px)
    return lines


def ellipsise(line: str, font: ImageFont.FreeTypeFont, max_px: int) -> str:
    """Shorten line until line + "…" fits max_px."""
    while line and width(line.rstrip() + ELLIPSIS, font) > max_px:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def fit(text: str, font: ImageFont.FreeTypeFont, max_px: int) -> str:
    """text itself when it fits on one line of max_px, else cut and ellipsised."""
    return text if width(text, font) <= max_px else ellipsise(text, font, max_px)


def _units(text: str) -> list[str]:
    """Split into unbreakable units, gluing closing punctuation to what precedes it."""
    units: list[str] = []
    for token in _TOKEN.findall(text):
        if units and token in _NO_LINE_START:
            units[-1] += token
        else:
            units.append(token)
    return units


def _take_line(
    units: list[str], font: ImageFont.FreeTypeFont, max_px: int
) -> tuple[str, list[str]]:
    """The next line and the units left over; always makes progress."""
    taken = _units_that_fit(units, font, max_px)
    if taken == 0:
        # A single unit wider than the line (a very long number): split it by character.
        head, tail = _split_unit(units[0], font, max_px)
        return head, [tail, *units[1:]]
    rest = units[taken:]
    while rest and rest[0].isspace():
        rest = rest[1:]  # a break at a space swallows the space
    return "".join(units[:taken]).strip(), rest


def _units_that_fit(units: list[str], font: ImageFont.FreeTypeFont, max_px: int) -> int:
    taken, used, spaces = 0, 0.0, 0.0
    for unit in units:
        unit_px = width(unit, font)
        if unit.isspace():
            spaces += unit_px  # only counts if something follows it on this line
        elif used + spaces + unit_px > max_px:
            break
        else:
            used, spaces = used + spaces + unit_px, 0.0
        taken += 1
    return taken


def _split_unit(unit: str, font: ImageFont.FreeTypeFont, max_px: int) -> tuple[str, str]:
    cut = 1
    while cut < len(unit) and width(unit[: cut + 1], font) <= max_px:
        cut += 1
    return unit[:cut], unit[cut:]


@functools.lru_cache(maxsize=SPREAD_GLYPHS)
def _spread(font: ImageFont.FreeTypeFont, char: str, stride: int) -> tuple[Glyph, int]:
    """A glyph with its rows `stride` bits apart, as in a band, so placing it is one shift."""
    shape = glyph(font, char)
    if not shape.height or shape.width > stride:
        return shape, 0  # blank, or wider than the bitmap: line_band clips it instead
    row_bytes, packed = (shape.width + 7) // 8, shape.packed
    rows = [packed[i : i + row_bytes] for i in range(0, len(packed), row_bytes)]
    # Joined with zero bytes, the rows are a band's rows; the shift drops the last row's pad.
    spread = int.from_bytes(bytes(stride // 8 - row_bytes).join(rows))
    return shape, spread >> (row_bytes * 8 - shape.width)


def _clip(shape: Glyph, left: int, bitmap_w: int, stride: int) -> tuple[int, int, int]:
    """The part of a glyph inside the bitmap, spread, with its left edge and width: Pillow
    clips a paste at the edges, and a glyph past one must not run into the next row."""
    first, end = max(0, -left), min(shape.width, bitmap_w - left)  # visible columns
    if end <= first:
        return 0, 0, 0
    row_bytes = (shape.width + 7) // 8
    keep, drop = (1 << (end - first)) - 1, row_bytes * 8 - end
    spread = 0
    for i in range(0, len(shape.packed), row_bytes):
        row = int.from_bytes(shape.packed[i : i + row_bytes])
        spread = (spread << stride) | ((row >> drop) & keep)
    return spread, left + first, end - first
