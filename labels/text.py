"""labels: folder -> printed label. Fitting titles into two lines.

Folder titles are mostly Chinese, which may break between any two characters, but they carry
years and numbers ("2002年") that must not be split across lines, and closing punctuation must
not start a line. A title that still does not fit is cut and ends with "…" so the reader can
tell the label is not showing the whole title.
"""

from __future__ import annotations

import functools
import re

from PIL import ImageFont

ELLIPSIS = "…"
# Runs of Latin letters/digits stay together; every other character is its own break unit.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/]*|\s+|.", re.DOTALL)
# Closing punctuation sticks to the text before it, as Chinese typesetting expects.
_NO_LINE_START = set("，。、；：？！）》」』】〉”’,.;:?!)]}%")


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
    while line and font.getlength(line.rstrip() + ELLIPSIS) > max_px:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


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
    # Summed advances ignore kerning; confirm with one real measurement of the whole line.
    while taken > 1 and font.getlength("".join(units[:taken]).strip()) > max_px:
        taken -= 1
    if taken == 0:
        # A single unit wider than the line (a very long number): split it by character.
        head, tail = _split_unit(units[0], font, max_px)
        return head, [tail, *units[1:]]
    rest = units[taken:]
    while rest and rest[0].isspace():
        rest = rest[1:]  # a break at a space swallows the space
    return "".join(units[:taken]).strip(), rest


def _units_that_fit(units: list[str], font: ImageFont.FreeTypeFont, max_px: int) -> int:
    taken, width, spaces = 0, 0.0, 0.0
    for unit in units:
        unit_px = _advance(font, unit)
        if unit.isspace():
            spaces += unit_px  # only counts if something follows it on this line
        elif width + spaces + unit_px > max_px:
            break
        else:
            width, spaces = width + spaces + unit_px, 0.0
        taken += 1
    return taken


@functools.lru_cache(maxsize=8192)
def _advance(font: ImageFont.FreeTypeFont, unit: str) -> float:
    # Titles draw on a few thousand distinct characters: measuring each once per font makes
    # wrapping cheap compared with drawing.
    return font.getlength(unit)


def _split_unit(unit: str, font: ImageFont.FreeTypeFont, max_px: int) -> tuple[str, str]:
    cut = 1
    while cut < len(unit) and font.getlength(unit[: cut + 1]) <= max_px:
        cut += 1
    return unit[:cut], unit[cut:]
