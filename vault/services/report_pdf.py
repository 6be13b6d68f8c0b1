"""A report (`vault.services.report.Report`) as a PDF file that prints and searches well.

Pages are 1-bit images at 200 dpi drawn in the labels' Noto CJK font with their cached glyphs
(`labels.fonts`, `labels.text`, `labels.bitmap`), so Chinese prints alike whatever fonts the
reader has, and go out through the labels' streaming writer (`labels.pdf`) page by page: rows
are read once and only the page being drawn is held, so a million rows cost time, not memory.
Each page also carries its text invisibly, in the same places (`PdfWriter.text_font`), so it
can be searched and copied, and `pdftotext` reads it.

Reports are for reading, not for labelling folders: a character the font cannot draw is
shown as "?" and the report carries on, where a label refuses to print.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from itertools import chain, islice
from math import sqrt
from typing import BinaryIO

from PIL import ImageFont

from labels.bitmap import Bitmap, stride_bits
from labels.fonts import cjk_font, glyph
from labels.pdf import PdfWriter, Placement, invisible_text, points
from labels.text import line_band
from vault.services.report import Report, cell_text

DPI, MARGIN_MM, A4_MM = 200, 15.0, (210.0, 297.0)
BODY_PX, TITLE_PX, SMALL_PX = 24, 40, 20  # about 8.6, 14.4 and 7.2 points
LEADING = 1.3  # line height / font size
PAD_X, PAD_Y = 8, 5  # inside a cell: 1 mm either side, 0.6 mm above and below
SAMPLE_ROWS = 200  # rows read ahead to choose column widths; the rest stream past
CHARS_KEPT = 20_000  # distinct characters whose look-ups are kept, per font
# Unbreakable units: a run of Latin (any script before CJK: words, numbers, codes, symbols),
# spaces, or any other single character; Chinese closing punctuation sticks to what precedes.
_TOKEN = re.compile(r"[^\s\u2e80-\U0010ffff]+|\s+|.", re.DOTALL)
_NO_LINE_START = set("，。、；：？！）》」』】〉”’")

Measure = Callable[[str], float]  # a character's advance in dots


def write_pdf(
    report: Report, out: BinaryIO, landscape: bool = False, page_label: str = "page {n}"
) -> int:
    """Write the report to `out` as PDF, streaming its rows; return how many pages."""
    writer = PdfWriter(out, title=report.title, producer="Vault reports")
    pages = _Pages(writer, writer.text_font(_pdf_widths()), landscape, page_label)
    pages.block(report.title, cjk_font(TITLE_PX, True))
    for line in report.lines:
        pages.block(line, cjk_font(BODY_PX))
    pages.y += BODY_PX
    if report.columns:
        _table(pages, report)
        pages.y += BODY_PX
    for line in report.footer:
        pages.block(line, cjk_font(BODY_PX))
    pages.finish()
    writer.close()
    return pages.count


def _table(pages: _Pages, report: Report) -> None:
    """The table: widths chosen from the headings and the first rows, then row by row."""
    body, bold = cjk_font(BODY_PX), cjk_font(BODY_PX, True)
    keys = [key for key, _ in report.columns]
    rows = ([_shown(cell_text(row.get(k)), body) for k in keys] for row in report.rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    heads = [_shown(heading, bold) for _, heading in report.columns]
    # Measured in bold, a little wide for the cells: no line is wrapped that would have fit.
    widths = column_widths(heads, sample, _measure(bold), pages.width)

    def lines(cells: list[str], measure: Measure) -> list[list[str]]:
        return [wrap(c, measure, w - 2 * PAD_X) for c, w in zip(cells, widths, strict=True)]

    pages.start_table(widths, lines(heads, _measure(bold)))
    for cells in chain(sample, rows):
        pages.row(lines(cells, _measure(body)))
    pages.end_table()


def wrap(text: str, measure: Measure, max_px: float) -> list[str]:
    """Lines of at most max_px: Chinese breaks between any characters, Latin words and numbers
    stay whole unless wider than a line, closing punctuation never starts one; a cell's own
    line breaks are kept (a blank line too). At least one line, maybe empty."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used, pieces = "", 0.0, []
        for unit in _units(" ".join(paragraph.split())):
            w = _width(unit, measure)  # wider than a line: broken between its characters
            pieces += [(c, measure(c)) for c in unit] if w > max_px else [(unit, w)]
        for unit, w in pieces:
            if line and unit != " " and used + w > max_px:
                lines.append(line.rstrip())
                line, used = "", 0.0
            if line or unit != " ":  # a space only between words
                line, used = line + unit, used + w
        lines.append(line.rstrip())
    return lines


def column_widths(
    headings: Sequence[str], sample: Sequence[Sequence[str]], measure: Measure, available: int
) -> list[int]:
    """Widths in dots, padding included, summing to `available`. Narrow columns (codes, dates,
    numbers) get all they need; the wide ones share the rest (below)."""
    n = len(headings)
    natural, least = [0.0] * n, [0.0] * n  # the longest line, the longest word
    for cells in chain([headings], sample):
        for i, text in enumerate(cells):
            for paragraph in text.splitlines() or [""]:
                units = [_width(u, measure) for u in _units(" ".join(paragraph.split()))]
                natural[i], least[i] = max(natural[i], sum(units)), max(least[i], *units, 0)
    natural = [min(w + BODY_PX / 2, available) + 2 * PAD_X for w in natural]  # a digit more
    least = [min(max(w, BODY_PX) + 2 * PAD_X + 2, natural[i]) for i, w in enumerate(least)]
    widths, wide, room = natural[:], list(range(n)), float(available)
    while wide:  # a column needing no more than a fair share of what is left gets it all
        fits = {i for i in wide if natural[i] <= room / len(wide)}
        if not fits:
            break
        room -= sum(natural[i] for i in fits)
        wide = [i for i in wide if i not in fits]
    # The wide share the rest: longest words first, then by the root of what they lack.
    words, wants = sum(least[i] for i in wide), sum(sqrt(natural[i] - least[i]) for i in wide)
    for i in wide:
        if words >= room:
            widths[i] = room * least[i] / words
        else:
            widths[i] = least[i] + (room - words) * sqrt(natural[i] - least[i]) / wants
    if not wide and n:  # everything fits on one line: the table still spans the page
        widths = [w * available / sum(widths) for w in widths]
    whole = [int(w) for w in widths]
    return [*whole[:-1], available - sum(whole[:-1])] if n else []


class _Pages:
    """The page being drawn and where the next line goes; pages are written as they fill."""

    def __init__(self, writer: PdfWriter, font: int, landscape: bool, page_label: str) -> None:
        w_mm, h_mm = (A4_MM[1], A4_MM[0]) if landscape else A4_MM
        self.writer, self.font, self.page_label = writer, font, page_label
        self.page_w, self.page_h = points(w_mm), points(h_mm)
        self.width, self.height = (round((mm - 2 * MARGIN_MM) / 25.4 * DPI) for mm in (w_mm, h_mm))
        self.bottom = self.height - 2 * SMALL_PX  # below it: "page N"
        self.count, self.y, self.ops, self.bitmap = 0, 0, [], None
        self.widths, self.heads, self.table_top = [], [], None  # the table, while it runs
        self.fresh = True  # no row of the table on this page yet: a long one is split here

    def block(self, text: str, font: ImageFont.FreeTypeFont) -> None:
        """A paragraph across the whole width (title, lines, footer)."""
        for line in wrap(_shown(text, font), _measure(font), self.width):
            self._room(_line_px(font))
            self._text(0, self.y, line, font)
            self.y += _line_px(font)

    def start_table(self, widths: list[int], heads: list[list[str]]) -> None:
        self.widths, self.heads = widths, [h[:8] for h in heads]  # a heading is never a page
        self._room(2 * (max(map(len, heads)) * _line_px(cjk_font(BODY_PX)) + 2 * PAD_Y))
        self._head()

    def row(self, cells: list[list[str]], font_bold: bool = False) -> None:
        font, line_px = cjk_font(BODY_PX, font_bold), _line_px(cjk_font(BODY_PX))
        total, start = max(map(len, cells)), 0
        while start < total:
            room = (self.bottom - self.y - 2 * PAD_Y) // line_px
            if room < total - start and not self.fresh:
                self._new_page()  # a row goes whole onto the next page, unless a page is short
                continue
            take = min(total - start, max(room, 1))
            x = 0
            for lines, width in zip(cells, self.widths, strict=True):
                for i, line in enumerate(lines[start : start + take]):
                    self._text(x + PAD_X, self.y + PAD_Y + i * line_px, line, font)
                x += width
            self.y += take * line_px + 2 * PAD_Y
            self._rule(2 if font_bold else 1)
            start, self.fresh = start + take, False

    def end_table(self) -> None:
        self._verticals()
        self.widths, self.table_top = [], None

    def finish(self) -> None:
        if self.bitmap is None:
            self._new_page()
        self._verticals()
        small = cjk_font(SMALL_PX)
        label = _shown(self.page_label.format(n=self.count), small)
        x = round((self.width - _width(label, _measure(small))) / 2)
        self._text(x, self.height - _line_px(small), label, small)
        image = self.writer.image_mask(self.width, self.height, self.bitmap.tobytes())
        w_pt, h_pt, left = self.width * 72 / DPI, self.height * 72 / DPI, points(MARGIN_MM)
        place = Placement(image, left, self.page_h - left - h_pt, w_pt, h_pt)
        ops = b"BT 3 Tr\n" + b"".join(self.ops) + b"ET\n"
        self.writer.page(self.page_w, self.page_h, [place], ops, {"F1": self.font})
        self.bitmap = None

    def _room(self, height: int) -> None:
        if self.bitmap is None or self.y + height > self.bottom:
            self._new_page()

    def _new_page(self) -> None:
        if self.bitmap is not None:
            self.finish()
        self.bitmap, self.ops = Bitmap(self.width, self.height), []
        self.y, self.count = 0, self.count + 1
        if self.widths:
            self._head()

    def _head(self) -> None:
        """The table's heading row, with a rule above and a heavier one below it."""
        self.table_top, self.fresh = self.y, True
        self._rule(1)
        self.row(self.heads, font_bold=True)
        self.fresh = True

    def _rule(self, weight: int) -> None:
        stride = stride_bits(self.width)
        self.bitmap.ink_rows(self.y, weight, ((1 << self.width) - 1) << (stride - self.width))

    def _verticals(self) -> None:
        """The table's column rules on this page, from its top rule to its last."""
        if self.table_top is None or self.bitmap is None:
            return
        stride, row, x = stride_bits(self.width), 0, 0
        for width in [0, *self.widths]:
            x = min(x + width, self.width - 1)
            row |= 1 << (stride - 1 - x)
        self.bitmap.ink_rows(self.table_top, self.y - self.table_top + 1, row)

    def _text(self, x: int, top: int, line: str, font: ImageFont.FreeTypeFont) -> None:
        """A line seen (dots on the page) and unseen (the text layer), in the same place."""
        if not line:
            return
        baseline = top + round(font.size * 1.03)  # the CJK ideograph box centred in the line
        self.bitmap.ink(line_band(line, font, x, self.width), baseline)
        size, widths = font.size * 72 / DPI, _pdf_widths()
        nominal = sum(widths.get(ord(c), 1000) for c in line) * size / 1000
        drawn = _width(line, _measure(font)) * 72 / DPI  # the layer is scaled to be as wide
        left = points(MARGIN_MM) + x * 72 / DPI
        base = self.page_h - points(MARGIN_MM) - baseline * 72 / DPI
        self.ops.append(invisible_text(line, left, base, size, 100 * drawn / nominal))


@functools.cache
def _pdf_widths() -> dict[int, int]:
    """Printable ASCII's advances, as the body text draws them, in thousandths of an em."""
    return {c: round(_measure(cjk_font(BODY_PX))(chr(c)) * 1000 / BODY_PX) for c in range(32, 127)}


class _Chars(dict):
    """A font's characters as a report draws them (look_up: shown or advance), each looked up
    once; emptied when large, so text of every character there is cannot grow it for ever."""

    def __init__(self, look_up: Callable[[str], object]) -> None:
        super().__init__()
        self.look_up = look_up

    def __missing__(self, char: str) -> object:
        if len(self) > CHARS_KEPT:
            self.clear()
        self[char] = found = self.look_up(char)
        return found


@functools.cache
def _measure(font: ImageFont.FreeTypeFont) -> Measure:
    """A character's advance in dots."""
    return _Chars(lambda char: glyph(font, char).advance).__getitem__


def _shown(text: str, font: ImageFont.FreeTypeFont) -> str:
    """The text as drawn: "?" for each character the font lacks (a label would refuse it)."""
    return "".join(map(_shown_chars(font), text))


@functools.cache
def _shown_chars(font: ImageFont.FreeTypeFont) -> Callable[[str], str]:
    return _Chars(lambda c: c if c in "\n\r\t" or glyph(font, c).drawable else "?").__getitem__


def _width(text: str, measure: Measure) -> float:
    return sum(map(measure, text))


def _units(text: str) -> list[str]:
    units: list[str] = []
    for token in _TOKEN.findall(text):
        if units and token in _NO_LINE_START and not units[-1].isspace():
            units[-1] += token
        else:
            units.append(token)
    return units


def _line_px(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * LEADING)
