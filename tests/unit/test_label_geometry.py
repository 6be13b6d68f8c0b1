"""labels: folder -> printed label. Geometry and legibility of one label, checked on the bitmap.

Everything here is measured on real renders with the installed CJK font: bar widths in
printer dots at 203, 300 and 600 dpi, white quiet zones, bar heights, the layouts of short
stocks, and that Chinese text prints as glyphs rather than .notdef boxes (or is refused).
"""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from labels import (
    AVERY_5160,
    AVERY_L7160,
    AVERY_L7651,
    BarcodeTooWide,
    FontMissing,
    GlyphMissing,
    LabelContent,
    LabelTooSmall,
    cjk_font_path,
    render_label,
)
from labels.code128 import modules
from labels.fonts import cjk_font
from labels.render import TITLE_FONT_MM, LabelPlan, plan_label, px
from labels.text import ELLIPSIS, draw_line, width

DPI = 300
MM = 25.4
LABEL_MM = (AVERY_L7160.label_width, AVERY_L7160.label_height)
NOT_IN_FONT = "\ue000"  # private use area: no font assigns it a glyph, so it draws .notdef
LONG_CODE = "WC-TJ-2002-0137+2"  # 222 modules: needs the quiet zones in the inner margin
# Code 128 symbol patterns (ISO/IEC 15417 table): start in set C, switch to set C.
START_C, CODE_C = "11010011100", "10111011110"
LONG_TITLE = "2005年第一次全国经济普查县级汇总资料（第三册）乡镇分表及统计说明、历年对照" * 3


@pytest.fixture
def secret_folder() -> LabelContent:
    return LabelContent(
        code="WC-TJ-2002-0137",
        title="2002年全县农业普查汇总表",
        marking="机密★ 30年",
        classified=True,
        location="A-03-02",
        barcode=LONG_CODE,
        generation=2,
    )


@pytest.fixture
def open_folder() -> LabelContent:
    return LabelContent("WC-TJ-2002-0138", "2002年全县农业普查汇总表", "公开", False, "A-03-02")


def text_bitmap(text: str, size_px: int = 40) -> bytes:
    font = cjk_font(size_px)
    image = Image.new("1", (size_px * (len(text) + 1), size_px * 2), 1)
    ImageDraw.Draw(image).text((4, 4), text, font=font, fill=0)
    return image.tobytes()


def column_is_white(image: Image.Image, x: int, top: int, bottom: int) -> bool:
    return all(image.getpixel((x, y)) for y in range(top, bottom))


def crop(image: Image.Image, box) -> bytes:
    return image.crop((box.x, box.y, box.x + box.w, box.y + box.h)).tobytes()


def short_folder(code: str = "L-0001") -> LabelContent:
    """A code short enough for the 38.1 mm wide L7651."""
    return LabelContent(code, LONG_TITLE, "机密★ 30年", True, "A-1")


# --- barcode rules at every printer resolution ----------------------------------------------

STOCK_SIZES = [
    (LABEL_MM, LONG_CODE),
    ((AVERY_5160.label_width, AVERY_5160.label_height), LONG_CODE),
    ((AVERY_L7651.label_width, AVERY_L7651.label_height), "L-0001"),
    ((99.1, 38.1), "WC-TJ-2002-0137-SUPPLEMENT-B"),  # L7163, a 92 mm symbol
]


@pytest.mark.parametrize("dpi", [203, 300, 600])
@pytest.mark.parametrize(("size", "code"), STOCK_SIZES)
def test_barcode_rules_hold_at_every_resolution(dpi: int, size, code: str) -> None:
    label = LabelContent(code, "汇总表", "内部", False, "A-1")
    plan = plan_label(label, *size, dpi)
    image = render_label(label, *size, dpi)
    x_mm = plan.module_px * MM / dpi
    assert isinstance(plan.module_px, int) and x_mm >= 0.25  # whole dots, never under 0.25 mm
    assert plan.module_px == {203: 2, 300: 3, 600: 6}[dpi]
    # Quiet zones: at least 10 X of white both sides, ending 0.5 mm or more from the edge.
    left, right = plan.bars.x - 10 * plan.module_px, plan.bars.x + plan.bars.w + 10 * plan.module_px
    assert left * MM / dpi >= 0.5 - 1e-9 and (image.width - right) * MM / dpi >= 0.5 - 1e-9
    bottom = plan.bars.y + plan.bars.h
    for x in [*range(left, plan.bars.x), *range(plan.bars.x + plan.bars.w, right)]:
        assert column_is_white(image, x, plan.bars.y, bottom), f"ink in quiet zone at x={x}"
    # The bars themselves stay inside the 1.5 mm inner margin.
    assert (
        plan.bars.x * MM / dpi >= 1.5
        and (image.width - plan.bars.x - plan.bars.w) * MM / dpi >= 1.5
    )
    # Bar height: at least 10 mm and at least 15 % of the symbol length (quiet zones included).
    symbol_mm = (right - left) * MM / dpi
    assert plan.bars.h * MM / dpi >= max(10.0, 0.15 * symbol_mm)
    assert_bars_are_the_modules(image, plan, label.barcode_data)


def assert_bars_are_the_modules(image: Image.Image, plan: LabelPlan, data: str) -> None:
    """Every dot across every module, at the top, middle and bottom of the bars, is its colour."""
    expected = "".join(bit * plan.module_px for bit in modules(data))
    for y in (plan.bars.y, plan.bars.y + plan.bars.h // 2, plan.bars.y + plan.bars.h - 1):
        row = image.crop((plan.bars.x, y, plan.bars.x + plan.bars.w, y + 1))
        read = "".join("0" if dot else "1" for dot in row.tobytes("raw", "L"))
        assert read == expected


def test_a_long_symbol_on_a_short_label_gets_fifteen_percent_bars() -> None:
    # A 99.1 x 25.4 mm label: a short code keeps a title line, but a 92 mm symbol needs
    # 13.8 mm bars, so the marking moves beside the title to make room.
    size = (99.1, 25.4)
    short = plan_label(LabelContent("WC-1", LONG_TITLE, "内部", False), *size, DPI)
    long = plan_label(
        LabelContent("WC-TJ-2002-0137-SUPPLEMENT-B", LONG_TITLE, "内部", False), *size, DPI
    )
    symbol_mm = (long.bars.w + 2 * long.quiet_px) * MM / DPI
    assert symbol_mm == pytest.approx(92.2, abs=0.1)
    assert (short.layout, long.layout) == ("one-line title", "marking beside title")
    assert long.bars.h * MM / DPI >= 0.15 * symbol_mm > short.bars.h * MM / DPI
    with pytest.raises(LabelTooSmall):  # 1 mm shorter and no layout leaves 13.8 mm
        plan_label(LabelContent("WC-TJ-2002-0137-SUPPLEMENT-B", "表", "内部", False), 99.1, 24.4)


def test_long_code_fits_l7160_with_quiet_zones_in_the_inner_margin(
    secret_folder: LabelContent,
) -> None:
    assert len(modules(LONG_CODE)) == 222
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    assert plan.module_px == 3  # fitted without shrinking: 0.254 mm
    symbol_mm = (plan.bars.w + 2 * plan.quiet_px) * MM / DPI
    assert symbol_mm == pytest.approx(61.5, abs=0.05)
    assert plan.bars.x - plan.quiet_px < plan.content.x  # reaches into the inner margin


def test_digit_runs_use_code_set_c() -> None:
    assert modules("20020137")[:11] == START_C
    assert len(modules("20020137")) == 6 * 11 + 13  # start, 4 digit pairs, check, stop
    symbols = modules("WC-TJ-2002-0137")
    assert CODE_C in [symbols[i : i + 11] for i in range(0, len(symbols) - 13, 11)]


def test_too_long_code_is_refused_not_shrunk_on_l7651() -> None:
    label = LabelContent("WC-TJ-2002-0137", "汇总表", "内部", False)
    with pytest.raises(BarcodeTooWide) as raised:
        render_label(label, AVERY_L7651.label_width, AVERY_L7651.label_height, DPI)
    message = str(raised.value)
    assert "WC-TJ-2002-0137" in message and "38.1 mm" in message
    assert "needs 53.1 mm" in message and "37.1 mm available" in message  # needed vs available


def test_barcode_carries_the_generation_and_the_caption_the_folder_code(
    secret_folder: LabelContent,
) -> None:
    plain = LabelContent(**{**secret_folder.__dict__, "barcode": ""})
    with_data, without = render_label(secret_folder, *LABEL_MM), render_label(plain, *LABEL_MM)
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    caption = type(plan.bars)(0, plan.caption_top, plan.width_px, plan.height_px - plan.caption_top)
    assert crop(with_data, caption) == crop(without, caption)  # the human-readable folder code
    assert crop(with_data, plan.bars) != crop(without, plan.bars)
    assert_bars_are_the_modules(with_data, plan, LONG_CODE)


def test_generation_is_printed(secret_folder: LabelContent) -> None:
    third = LabelContent(**{**secret_folder.__dict__, "generation": 3})
    box = plan_label(secret_folder, *LABEL_MM, DPI).generation
    second = crop(render_label(secret_folder, *LABEL_MM).convert("L"), box)
    assert second != crop(render_label(third, *LABEL_MM).convert("L"), box)
    assert second.count(0) > 0  # "G2" has ink
    with pytest.raises(ValueError, match="generation"):
        LabelContent("WC-1", "汇总表", "内部", False, generation=0)


def test_text_stays_clear_of_the_bars(secret_folder: LabelContent) -> None:
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    image = render_label(secret_folder, *LABEL_MM, DPI)
    left, right = plan.bars.x - plan.quiet_px, plan.bars.x + plan.bars.w + plan.quiet_px
    gap = 5  # dots of white directly above and below the bars
    for x in range(left, right):
        assert column_is_white(image, x, plan.bars.y - gap, plan.bars.y)
        assert column_is_white(image, x, plan.bars.y + plan.bars.h, plan.bars.y + plan.bars.h + gap)


def test_label_is_one_bit_at_exact_size(secret_folder: LabelContent) -> None:
    image = render_label(secret_folder, *LABEL_MM, DPI)
    assert image.mode == "1"
    assert image.size == (750, 450)  # 63.5 x 38.1 mm at 300 dpi


# --- layouts for short stocks ---------------------------------------------------------------


@pytest.mark.parametrize("dpi", [203, 300, 600])
@pytest.mark.parametrize(
    ("stock", "layout", "folder"),
    [
        (AVERY_L7160, "two-line title", LabelContent(LONG_CODE, LONG_TITLE, "机密★ 30年", True)),
        (AVERY_5160, "one-line title", LabelContent(LONG_CODE, LONG_TITLE, "机密★ 30年", True)),
        (AVERY_L7651, "marking beside title", short_folder()),
    ],
)
def test_short_stocks_drop_title_lines_to_keep_ten_millimetre_bars(
    dpi: int, stock, layout: str, folder: LabelContent
) -> None:
    plan = plan_label(folder, stock.label_width, stock.label_height, dpi)
    assert plan.layout == layout
    assert plan.bars.h * MM / dpi >= 10.0
    # Rows do not overlap: marking/title above the bars, code line below, all on the label.
    assert plan.marking.y + plan.marking.h <= plan.bars.y
    assert plan.title.y + plan.title.h <= plan.bars.y
    assert plan.bars.y + plan.bars.h < plan.caption_top < plan.height_px
    assert len(plan.title_lines) == (2 if layout == "two-line title" else 1)
    assert plan.title_lines[-1].endswith(ELLIPSIS)  # the long title is cut, visibly
    assert plan.marking_text == folder.marking  # the classification is never cut


def test_label_too_short_for_any_layout_names_the_stock() -> None:
    with pytest.raises(LabelTooSmall, match="Thin tape labels .*taller label stock"):
        plan_label(short_folder(), 63.5, 18.0, DPI, stock="Thin tape")


# --- text ---------------------------------------------------------------------------------


def test_font_is_a_cjk_font() -> None:
    assert "CJK" in cjk_font_path() or "cjk" in cjk_font_path().lower()
    assert cjk_font_path(bold=True)


@pytest.mark.parametrize("text", ["档案", "机密★", "汇总表…", "绝密"])
def test_chinese_renders_as_glyphs_not_boxes(text: str) -> None:
    boxes = text_bitmap(NOT_IN_FONT * len(text))
    assert text_bitmap(text) != boxes


def test_cached_glyphs_draw_what_freetype_draws() -> None:
    font, line = cjk_font(33), "2002年全县农业普查汇总表（第3册）R&D"
    for char in dict.fromkeys(line):
        ours = Image.new("1", (60, 60), 1)
        draw_line(ours, 5, 45, char, font, 0)
        theirs = Image.new("1", (60, 60), 1)
        ImageDraw.Draw(theirs).text((5, 45), char, font=font, fill=0, anchor="ls")
        assert ours.tobytes() == theirs.tobytes(), char
    assert width(line, font) == font.getlength(line)  # measured as Pillow lays it out


@pytest.mark.parametrize(
    ("field", "char"),
    [("title", NOT_IN_FONT), ("title", "𠀀"), ("marking", "\U0001f512"), ("location", "\t")],
)
def test_characters_the_font_lacks_are_refused_not_drawn_as_boxes(field: str, char: str) -> None:
    values = {"title": "汇总表", "marking": "机密★", "location": "A-1", field: f"档案{char}"}
    label = LabelContent("WC-1", values["title"], values["marking"], True, values["location"])
    with pytest.raises(GlyphMissing) as raised:
        render_label(label, *LABEL_MM, DPI)
    message = str(raised.value)
    assert f"U+{ord(char):04X}" in message and "fonts-noto-cjk" in message and "WC-1" in message
    assert isinstance(raised.value, FontMissing)


def test_label_title_renders_distinct_glyphs(secret_folder: LabelContent) -> None:
    # If the font lacked both characters, both titles would be the same two .notdef boxes.
    box = plan_label(secret_folder, *LABEL_MM, DPI).title

    def title_pixels(title: str) -> bytes:
        return crop(render_label(LabelContent("WC-1", title, "内部", False), *LABEL_MM), box)

    assert title_pixels("档案") != title_pixels("案档")


def test_long_title_is_wrapped_to_two_lines_and_ellipsised(secret_folder: LabelContent) -> None:
    title = "2002年全县农业普查汇总表及各乡镇分表（含附件、统计说明与历年对照数据）" * 3
    label = LabelContent(secret_folder.code, title, "内部", False)
    plan = plan_label(label, *LABEL_MM, DPI)
    font = cjk_font(px(TITLE_FONT_MM, DPI))
    assert len(plan.title_lines) == 2
    assert plan.title_lines[-1].endswith(ELLIPSIS)
    assert "".join(plan.title_lines)[:-1] in title
    assert all(font.getlength(line) <= plan.title.w for line in plan.title_lines)


def test_mixed_script_title_keeps_words_and_numbers_whole() -> None:
    title = "全县农业普查汇总表及各乡镇分表含附件统计说明2002 GDP Survey"
    plan = plan_label(LabelContent("WC-1", title, "内部", False), *LABEL_MM, DPI)
    assert any("2002" in line for line in plan.title_lines)
    assert not any(line.endswith(("GD", "Sur")) for line in plan.title_lines)


def test_short_title_is_not_ellipsised(secret_folder: LabelContent) -> None:
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    assert plan.title_lines == (secret_folder.title,)


def test_classified_marking_is_a_black_banner(
    secret_folder: LabelContent, open_folder: LabelContent
) -> None:
    def black_share(label: LabelContent) -> float:
        box = plan_label(label, *LABEL_MM, DPI).marking
        pixels = crop(render_label(label, *LABEL_MM, DPI).convert("L"), box)
        return pixels.count(0) / (box.w * box.h)

    assert black_share(secret_folder) > 0.7  # solid banner with white lettering
    assert black_share(open_folder) < 0.1  # plain black text on white


@pytest.mark.parametrize("x", [-3, 0, 17, 40, 55])
@pytest.mark.parametrize("line", ["年汇总档案", "R&D-0137"])  # one script each: Pillow sets
def test_lines_running_off_an_edge_are_clipped_as_freetype_clips_them(x: int, line: str) -> None:
    # mixed lines' digits a dot higher than their own baseline, which the labels do not copy
    font = cjk_font(33)
    ours = Image.new("1", (64, 60), 1)
    draw_line(ours, x, 45, line, font, 0)
    theirs = Image.new("1", (64, 60), 1)
    ImageDraw.Draw(theirs).text((x, 45), line, font=font, fill=0, anchor="ls")
    assert ours.tobytes() == theirs.tobytes()
