"""labels: folder -> printed label. Laying out and drawing one label as a 1-bit bitmap.

Layout, top to bottom inside a 1.5 mm inner margin (printers do not place a sheet to better
than a millimetre or so, and nothing important may fall off the die-cut edge):

    marking       black banner with white text when classified, plain text otherwise
    title         two lines reserved, ellipsised, so barcodes line up across a sheet
    barcode       centred, with white quiet zones and clear space above and below
    code  location  human-readable code centred under the bars, shelf location at the right

The bitmap is 1-bit (mode "1") at the printer's resolution: labels are printed in black and
white on office laser printers, and a bilevel image keeps bar edges on whole dots.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from labels import code128, text
from labels.content import LabelContent
from labels.fonts import cjk_font

INNER_MARGIN_MM = 1.5
MARKING_BANNER_MM = 3.4
MARKING_FONT_MM = 2.6
TITLE_FONT_MM = 2.8
TITLE_LINES = 2
CODE_FONT_MM = 2.6
LOCATION_FONT_MM = 2.3
GAP_MM = 0.6  # between text blocks
BANNER_INSET_MM = 0.8  # white text kept off the banner's ends
BARCODE_CLEARANCE_MM = 0.8  # white above and below the bars so text never touches them
LINE_SPACING = 1.2  # line height as a multiple of the font size
# CJK ideographs sit in an em box with the baseline about 0.88 em below its top; placing text
# by baseline (not by the font's tall ascender) keeps lines tight and evenly spaced.
BASELINE_RATIO = 0.88
WHITE, BLACK = 1, 0


@dataclass(frozen=True)
class Box:
    """A rectangle in label pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class LabelPlan:
    """Where everything goes on one label; computed before drawing so tests can check it."""

    width_px: int
    height_px: int
    content: Box  # area inside the inner margin
    marking: Box
    title_lines: tuple[str, ...]
    title: Box
    bars: Box  # the bars only; quiet zones extend quiet_px on either side
    quiet_px: int
    module_px: int
    modules: str
    caption_top: int


def px(mm: float, dpi: int) -> int:
    return round(mm * dpi / code128.MM_PER_INCH)


def font(size_mm: float, dpi: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return cjk_font(px(size_mm, dpi), bold)


def plan_label(label: LabelContent, width_mm: float, height_mm: float, dpi: int = 300) -> LabelPlan:
    """Compute the layout; raises BarcodeTooWide if the code does not fit the label."""
    w, h, margin = px(width_mm, dpi), px(height_mm, dpi), px(INNER_MARGIN_MM, dpi)
    content = Box(margin, margin, w - 2 * margin, h - 2 * margin)
    bars = code128.modules(label.code)
    code128.check_fits(label.code, bars, dpi, content.w, width_mm)
    marking = Box(content.x, content.y, content.w, px(MARKING_BANNER_MM, dpi))
    title_font = font(TITLE_FONT_MM, dpi)
    title_top = marking.y + marking.h + px(GAP_MM, dpi)
    title = Box(content.x, title_top, content.w, TITLE_LINES * _line_px(title_font))
    module = code128.module_px(dpi)
    bars_box = _bars_box(content, title.y + title.h, len(bars) * module, dpi)
    if bars_box.h < px(code128.MIN_BAR_HEIGHT_MM, dpi):
        raise ValueError(
            f"A {width_mm:g} x {height_mm:g} mm label is too short for a "
            f"{code128.MIN_BAR_HEIGHT_MM:g} mm tall barcode; use a taller label stock."
        )
    return LabelPlan(
        width_px=w,
        height_px=h,
        content=content,
        marking=marking,
        title_lines=tuple(text.wrap(label.title, title_font, content.w, TITLE_LINES)),
        title=title,
        bars=bars_box,
        quiet_px=code128.QUIET_ZONE_MODULES * module,
        module_px=module,
        modules=bars,
        caption_top=bars_box.y + bars_box.h + px(BARCODE_CLEARANCE_MM, dpi),
    )


def _bars_box(content: Box, above: int, bars_w: int, dpi: int) -> Box:
    """The bars take all the height left between the title and the caption line."""
    clearance = px(BARCODE_CLEARANCE_MM, dpi)
    caption_h = _line_px(font(CODE_FONT_MM, dpi))
    top = above + clearance
    height = content.y + content.h - caption_h - clearance - top
    return Box(content.x + (content.w - bars_w) // 2, top, bars_w, height)


def render_label(
    label: LabelContent, width_mm: float, height_mm: float, dpi: int = 300
) -> Image.Image:
    """Render one label as a 1-bit image of exactly width_mm x height_mm at dpi."""
    plan = plan_label(label, width_mm, height_mm, dpi)
    image = Image.new("1", (plan.width_px, plan.height_px), WHITE)
    draw = ImageDraw.Draw(image)
    _draw_marking(draw, plan, label, dpi)
    title_font = font(TITLE_FONT_MM, dpi)
    for i, line in enumerate(plan.title_lines):
        _text(draw, plan.title.x, plan.title.y + i * _line_px(title_font), line, title_font)
    code128.draw_barcode(draw, plan.bars.x, plan.bars.y, plan.modules, plan.module_px, plan.bars.h)
    _draw_caption(draw, plan, label, dpi)
    return image


def _draw_marking(
    draw: ImageDraw.ImageDraw, plan: LabelPlan, label: LabelContent, dpi: int
) -> None:
    box = plan.marking
    marking_font = font(MARKING_FONT_MM, dpi, bold=label.classified)
    top = box.y + (box.h - marking_font.size) // 2
    inset = px(BANNER_INSET_MM, dpi) if label.classified else 0
    lines = text.wrap(label.marking, marking_font, box.w - 2 * inset, 1)
    if label.classified:
        # A solid banner survives photocopying and reads without colour, unlike a red stamp.
        draw.rectangle((box.x, box.y, box.x + box.w - 1, box.y + box.h - 1), fill=BLACK)
    colour = WHITE if label.classified else BLACK
    _text(draw, box.x + inset, top, lines[0] if lines else "", marking_font, fill=colour)


def _draw_caption(
    draw: ImageDraw.ImageDraw, plan: LabelPlan, label: LabelContent, dpi: int
) -> None:
    code_font = font(CODE_FONT_MM, dpi)
    location_font = font(LOCATION_FONT_MM, dpi)
    right = plan.content.x + plan.content.w
    location_w = round(location_font.getlength(label.location))
    code_w = round(code_font.getlength(label.code))
    code_x = plan.content.x + (plan.content.w - code_w) // 2
    if label.location and code_x + code_w + px(GAP_MM, dpi) > right - location_w:
        code_x = plan.content.x  # a long code moves left rather than run into the location
    _text(draw, code_x, plan.caption_top, label.code, code_font)
    if label.location:
        # Baselines aligned, so the smaller location text sits on the same line as the code.
        drop = _baseline(code_font) - _baseline(location_font)
        _text(draw, right - location_w, plan.caption_top + drop, label.location, location_font)


def _text(
    draw: ImageDraw.ImageDraw,
    x: int,
    top: int,
    line: str,
    line_font: ImageFont.FreeTypeFont,
    fill: int = BLACK,
) -> None:
    if line:
        draw.text((x, top + _baseline(line_font)), line, font=line_font, fill=fill, anchor="ls")


def _baseline(line_font: ImageFont.FreeTypeFont) -> int:
    return round(line_font.size * BASELINE_RATIO)


def _line_px(line_font: ImageFont.FreeTypeFont) -> int:
    return round(line_font.size * LINE_SPACING)
