"""labels: folder -> printed label. Laying out and drawing one label as a 1-bit bitmap.

Layout, top to bottom inside a 1.5 mm inner margin (printers do not place a sheet to better
than a millimetre or so, and nothing important may fall off the die-cut edge):

    marking            G2    black banner with white text when classified; label generation
    title                    two lines reserved, ellipsised, so barcodes line up across a sheet
    barcode                  centred, quiet zones may reach to 0.5 mm from the edge
    code      location       human-readable folder code under the bars, shelf location right

Short labels (Avery 5160 is 25.4 mm tall, L7651 21.2 mm) cannot hold that with 10 mm bars,
so the title drops to one line, and on the shortest the marking moves beside the title. The
first layout that leaves the symbol its minimum bar height is used.

The bitmap is 1-bit at the printer's resolution: labels are printed in black and white, and a
bilevel image keeps bar edges on whole dots. It is composed as packed rows (labels.bitmap),
which the sheet PDF takes as they are; render_label hands out the same dots as a Pillow image.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PIL import Image, ImageFont

from labels import code128, text
from labels.bitmap import Band, Bitmap
from labels.content import LabelContent
from labels.fonts import cjk_font, require_glyphs

INNER_MARGIN_MM = 1.5
MARKING_BANNER_MM = 3.4
MARKING_FONT_MM = 2.6
TITLE_FONT_MM = 2.8
TITLE_LINES = 2
CODE_FONT_MM = 2.6
LOCATION_FONT_MM = 2.3
GENERATION_FONT_MM = 2.3
GAP_MM = 0.6  # between text blocks
BANNER_INSET_MM = 0.8  # white text kept off the banner's ends
BARCODE_CLEARANCE_MM = 0.8  # white above and below the bars so text never touches them
BESIDE_TITLE_SHARE = 0.6  # of the top row; the marking matters more than the title
LINE_SPACING = 1.2  # line height as a multiple of the font size
# CJK ideographs sit in an em box with the baseline about 0.88 em below its top; placing text
# by baseline (not by the font's tall ascender) keeps lines tight and evenly spaced.
BASELINE_RATIO = 0.88
WHITE, BLACK = 1, 0


class LabelTooSmall(ValueError):
    """The label stock is too short for the bars, the code line and the marking."""


@dataclass(frozen=True)
class Box:
    """A rectangle in label pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class Frame:
    """The rows of one layout for one label size and resolution, whatever the content."""

    name: str
    title_lines: int  # 0: the title shares the top row with the marking
    title_top: int
    bars_top: int
    bars_h: int  # all the height left between the title and the code line
    caption_top: int


@dataclass(frozen=True)
class LabelPlan:
    """Where everything goes on one label; computed before drawing so tests can check it."""

    width_px: int
    height_px: int
    layout: str
    content: Box  # area inside the inner margin
    marking: Box
    marking_text: str
    generation: Box
    title_lines: tuple[str, ...]
    title: Box
    bars: Box  # the bars only; quiet zones extend quiet_px on either side
    quiet_px: int
    module_px: int
    modules: str
    caption_top: int
    code_x: int
    location_x: int
    location_text: str


def px(mm: float, dpi: int) -> int:
    return round(mm * dpi / code128.MM_PER_INCH)


def font(size_mm: float, dpi: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return cjk_font(px(size_mm, dpi), bold)


def plan_label(
    label: LabelContent, width_mm: float, height_mm: float, dpi: int = 300, stock: str = ""
) -> LabelPlan:
    """Compute the layout; raises BarcodeTooWide, LabelTooSmall or GlyphMissing."""
    w, h, margin = px(width_mm, dpi), px(height_mm, dpi), code128.edge_px(INNER_MARGIN_MM, dpi)
    content = Box(margin, margin, w - 2 * margin, h - 2 * margin)
    data = label.barcode_data
    bars = code128.modules(data)
    code128.check_fits(label.code, data, bars, dpi, w, width_mm)
    frame = _frame_for(width_mm, height_mm, dpi, code128.min_bar_height_px(bars, dpi), stock)
    _require_glyphs(label, dpi)
    module = code128.module_px(dpi)
    # Centred: the quiet zones (checked above) are wider than the gap between the 0.5 mm edge
    # and the 1.5 mm inner margin, so the bars always stay inside the inner margin.
    bars_box = Box((w - len(bars) * module) // 2, frame.bars_top, len(bars) * module, frame.bars_h)
    generation = _generation_box(label, content, dpi)
    marking, marking_text, title = _top_row(label, frame, content, generation, dpi)
    title_font = font(TITLE_FONT_MM, dpi)
    lines = text.wrap(label.title, title_font, title.w, max(frame.title_lines, 1))
    code_x, location_x, location_text = _caption(label, content, dpi)
    return LabelPlan(
        width_px=w,
        height_px=h,
        layout=frame.name,
        content=content,
        marking=marking,
        marking_text=marking_text,
        generation=generation,
        title_lines=tuple(lines),
        title=title,
        bars=bars_box,
        quiet_px=code128.QUIET_ZONE_MODULES * module,
        module_px=module,
        modules=bars,
        caption_top=frame.caption_top,
        code_x=code_x,
        location_x=location_x,
        location_text=location_text,
    )


def check_label_size(width_mm: float, height_mm: float, dpi: int, stock: str = "") -> None:
    """Raise LabelTooSmall if no layout leaves room for 10 mm bars on this label size."""
    _frame_for(width_mm, height_mm, dpi, code128.edge_px(code128.MIN_BAR_HEIGHT_MM, dpi), stock)


def render_label(
    label: LabelContent, width_mm: float, height_mm: float, dpi: int = 300
) -> Image.Image:
    """Render one label as a 1-bit image (mode "1") of exactly width_mm x height_mm at dpi."""
    return compose_label(label, plan_label(label, width_mm, height_mm, dpi), dpi).image()


def compose_label(label: LabelContent, plan: LabelPlan, dpi: int) -> Bitmap:
    """Draw a planned label as packed rows: the banner and the strings that recur across a
    batch come whole from caches, the title and code are put together from cached glyphs."""
    width, box = plan.width_px, plan.marking
    bitmap = Bitmap(width, plan.height_px)
    outlined = plan.layout == "marking beside title" and not label.classified
    bitmap.ink(_banner(plan.marking_text, label.classified, outlined, box, width, dpi), box.y)
    line_font = font(GENERATION_FONT_MM, dpi)
    band = text.repeated_line_band(f"G{label.generation}", line_font, plan.generation.x, width)
    bitmap.ink(band, _line_baseline(plan.generation, 0, line_font))
    line_font = font(TITLE_FONT_MM, dpi)
    for i, line in enumerate(plan.title_lines):
        band = text.line_band(line, line_font, plan.title.x, width)
        bitmap.ink(band, _line_baseline(plan.title, i, line_font))
    bars = plan.bars  # inside the label (code128.check_fits), so the shift is never negative
    row = code128.bar_dots(plan.modules, plan.module_px) << bitmap.stride - bars.x - bars.w
    bitmap.ink_rows(bars.y, bars.h, row)
    code_font, location_font = font(CODE_FONT_MM, dpi), font(LOCATION_FONT_MM, dpi)
    baseline = plan.caption_top + _baseline(code_font)
    bitmap.ink(text.line_band(label.code, code_font, plan.code_x, width), baseline)
    # Baselines aligned, so the smaller location text sits on the same line as the code.
    location = text.repeated_line_band(plan.location_text, location_font, plan.location_x, width)
    bitmap.ink(location, baseline)
    return bitmap


@functools.lru_cache(maxsize=64)
def frames(width_mm: float, height_mm: float, dpi: int) -> tuple[Frame, ...]:
    """The layouts for a label size, most generous first."""
    h, margin = px(height_mm, dpi), code128.edge_px(INNER_MARGIN_MM, dpi)
    banner, gap, clearance = (
        px(MARKING_BANNER_MM, dpi),
        px(GAP_MM, dpi),
        px(BARCODE_CLEARANCE_MM, dpi),
    )
    line = _line_px(font(TITLE_FONT_MM, dpi))
    caption_top = h - margin - _line_px(font(CODE_FONT_MM, dpi))
    title_top = margin + banner + gap
    layouts = [
        ("two-line title", TITLE_LINES, title_top, title_top + TITLE_LINES * line),
        ("one-line title", 1, title_top, title_top + line),
        ("marking beside title", 0, margin, margin + banner),
    ]
    return tuple(
        Frame(name, lines, top, above + clearance, caption_top - above - 2 * clearance, caption_top)
        for name, lines, top, above in layouts
    )


def _frame_for(width_mm: float, height_mm: float, dpi: int, bars_h: int, stock: str) -> Frame:
    for frame in frames(width_mm, height_mm, dpi):
        if frame.bars_h >= bars_h:
            return frame
    what = f"{stock} labels" if stock else "Labels"
    raise LabelTooSmall(
        f"{what} ({width_mm:g} x {height_mm:g} mm) are too short for a "
        f"{bars_h * code128.MM_PER_INCH / dpi:.1f} mm tall barcode with the code line under it "
        f"and the marking and title above, even with the marking beside a one-line title. "
        f"Use a taller label stock."
    )


def _require_glyphs(label: LabelContent, dpi: int) -> None:
    """Refuse text that would print as .notdef boxes, naming the folder and the field."""
    folder = f"folder {label.code!r}"
    require_glyphs(label.title, font(TITLE_FONT_MM, dpi), f"The title of {folder}")
    marking_font = font(MARKING_FONT_MM, dpi, bold=label.classified)
    require_glyphs(label.marking, marking_font, f"The marking of {folder}")
    require_glyphs(label.code, font(CODE_FONT_MM, dpi), "The folder code")
    require_glyphs(label.location, font(LOCATION_FONT_MM, dpi), f"The location of {folder}")


def _generation_box(label: LabelContent, content: Box, dpi: int) -> Box:
    """The generation ("G2") at the right end of the top row."""
    w = round(text.width(f"G{label.generation}", font(GENERATION_FONT_MM, dpi)))
    return Box(content.x + content.w - w, content.y, w, px(MARKING_BANNER_MM, dpi))


def _top_row(
    label: LabelContent, frame: Frame, content: Box, generation: Box, dpi: int
) -> tuple[Box, str, Box]:
    """Marking box, the marking as it fits, and the title box."""
    gap, inset = px(GAP_MM, dpi), px(BANNER_INSET_MM, dpi)
    marking_font = font(MARKING_FONT_MM, dpi, bold=label.classified)
    row_w = generation.x - gap - content.x
    title_h = _line_px(font(TITLE_FONT_MM, dpi))
    if frame.title_lines:
        marking = Box(content.x, content.y, row_w, generation.h)
        title = Box(content.x, frame.title_top, content.w, frame.title_lines * title_h)
    else:
        wanted = round(text.width(label.marking, marking_font)) + 2 * inset
        marking = Box(
            content.x, content.y, min(wanted, int(row_w * BESIDE_TITLE_SHARE)), generation.h
        )
        title_x = marking.x + marking.w + gap
        title = Box(title_x, frame.title_top, generation.x - gap - title_x, generation.h)
    text_inset = inset if (label.classified or not frame.title_lines) else 0
    return marking, text.fit(label.marking, marking_font, marking.w - 2 * text_inset), title


def _caption(label: LabelContent, content: Box, dpi: int) -> tuple[int, int, str]:
    """Code centred under the bars, location at the right; the code moves left if crowded."""
    gap, right = px(GAP_MM, dpi), content.x + content.w
    code_w = round(text.width(label.code, font(CODE_FONT_MM, dpi)))
    location_font = font(LOCATION_FONT_MM, dpi)
    location = label.location
    code_x = content.x + (content.w - code_w) // 2
    if location and code_x + code_w + gap > right - round(text.width(location, location_font)):
        code_x = content.x  # a long code moves left rather than run into the location
        location = text.fit(location, location_font, max(right - code_x - code_w - gap, 0))
    return code_x, right - round(text.width(location, location_font)), location


@functools.lru_cache(maxsize=256)
def _banner(marking: str, classified: bool, outlined: bool, box: Box, width: int, dpi: int) -> Band:
    """The marking cell as whole label rows; a solid banner survives photocopying and reads
    without colour. White-on-black text is easiest drawn with Pillow, once per marking."""
    image = Image.new("1", (box.w, box.h), BLACK if classified else WHITE)
    if outlined:
        rule = max(1, px(0.2, dpi))
        image.paste(BLACK, (0, 0, box.w, box.h))
        image.paste(WHITE, (rule, rule, box.w - rule, box.h - rule))
    marking_font = font(MARKING_FONT_MM, dpi, bold=classified)
    inset = px(BANNER_INSET_MM, dpi) if (classified or outlined) else 0
    baseline = (box.h - marking_font.size) // 2 + _baseline(marking_font)
    text.draw_line(image, inset, baseline, marking, marking_font, WHITE if classified else BLACK)
    rows = Image.new("1", (width, box.h), WHITE)
    rows.paste(image, (box.x, 0))
    return Band(0, box.h, int.from_bytes(rows.tobytes("raw", "1;I")))  # "1;I": set bit = black


def _line_baseline(box: Box, index: int, line_font: ImageFont.FreeTypeFont) -> int:
    """Baseline of line `index` of a text block: rows of LINE_SPACING, or the box's height
    for one line."""
    line_h = _line_px(line_font)
    row_h = line_h if box.h >= 2 * line_h else box.h
    top = box.y + index * row_h + (row_h - line_font.size) // 2
    return top + _baseline(line_font)


def _baseline(line_font: ImageFont.FreeTypeFont) -> int:
    return round(line_font.size * BASELINE_RATIO)


def _line_px(line_font: ImageFont.FreeTypeFont) -> int:
    return round(line_font.size * LINE_SPACING)
