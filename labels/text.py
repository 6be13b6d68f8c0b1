"""labels: folder -> printed label. Fitting titles into lines and drawing them.

Folder titles are mostly Chinese, which may break between any two characters, but they carry
years and numbers ("2002年") that must not be split across lines, and closing punctuation must
not start a line. A title that still does not fit is cut and ends with "…" so the reader can
tell the label is not showing the whole title.

Widths are sums of the cached per-character advances that draw_line also uses, so a line
measured to fit is drawn exactly that wide (Chinese needs no kerning or shaping).
"""

from __future__ import annotations

import re

from PIL import Image, ImageFont

from labels.fonts import glyph

ELLIPSIS = "…"
# Runs of Latin letters/digits stay together; every other character is its own break unit.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/]*|\s+|.", re.DOTALL)
# Closing punctuation sticks to the text before it, as Chinese typesetting expects.
_NO_LINE_START = set("，。、；：？！）》」』】〉”’,.;:?!)]}%")


def width(text: str, font: ImageFont.FreeTypeFont) -> float:
    """Advance width of text in dots, as draw_line lays it out."""
    return sum(glyph(font, char).advance for char in text)


def draw_line(
    image: Image.Image, x: int, baseline: int, text: str, font: ImageFont.FreeTypeFont, ink: int
) -> None:
    """Draw one line with its pen starting at x on the baseline, from cached glyph masks."""
    pen = float(x)
    for char in text:
        shape = glyph(font, char)
        if shape.mask is not None:
            image.paste(ink, (round(pen) + shape.left, baseline + shape.top), shape.mask)
        pen += shape.advance


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
