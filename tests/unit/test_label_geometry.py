"""labels: folder -> printed label. Geometry and legibility of one label, checked on the bitmap.

Everything here is measured on real renders with the installed CJK font: sheet positions,
bar widths in printer dots, white quiet zones, and that Chinese text prints as glyphs rather
than .notdef boxes.
"""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from labels import AVERY_L7160, BarcodeTooWide, LabelContent, cjk_font_path, render_label
from labels.code128 import MIN_BAR_HEIGHT_MM, QUIET_ZONE_MODULES, module_px, modules
from labels.fonts import cjk_font
from labels.render import TITLE_FONT_MM, plan_label, px
from labels.text import ELLIPSIS

DPI = 300
LABEL_MM = (AVERY_L7160.label_width, AVERY_L7160.label_height)
NOT_IN_FONT = "\ue000"  # private use area: no font assigns it a glyph, so it draws .notdef


@pytest.fixture
def secret_folder() -> LabelContent:
    return LabelContent(
        code="WC-TJ-2002-0137",
        title="2002年全县农业普查汇总表",
        marking="机密★ 30年",
        classified=True,
        location="A-03-02",
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


# --- sheet stock -------------------------------------------------------------------------


def test_l7160_is_the_published_a4_layout() -> None:
    stock = AVERY_L7160
    assert (stock.page_width, stock.page_height) == (210.0, 297.0)
    assert (stock.columns, stock.rows) == (3, 7)
    assert (stock.label_width, stock.label_height) == (63.5, 38.1)
    assert (stock.left_margin, stock.top_margin) == (7.25, 15.15)
    assert (stock.horizontal_pitch, stock.vertical_pitch) == (66.04, 38.1)


def test_l7160_labels_lie_inside_the_page_without_overlapping() -> None:
    stock = AVERY_L7160
    assert stock.horizontal_pitch >= stock.label_width
    assert stock.vertical_pitch >= stock.label_height
    for slot in range(stock.columns * stock.rows):
        x, y = stock.label_origin(slot)
        assert x >= 0 and y >= 0
        assert x + stock.label_width <= stock.page_width
        assert y + stock.label_height <= stock.page_height
    last_x, last_y = stock.label_origin(stock.columns * stock.rows - 1)
    # The top and bottom margins of the sheet are equal on L7160: the grid is centred.
    assert stock.page_height - (last_y + stock.label_height) == pytest.approx(stock.top_margin)
    assert stock.page_width - (last_x + stock.label_width) > 0


# --- barcode -----------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [203, 300, 600])
def test_module_is_whole_dots_and_at_least_a_quarter_millimetre(dpi: int) -> None:
    dots = module_px(dpi)
    assert isinstance(dots, int)
    assert dots * 25.4 / dpi >= 0.25


def test_module_is_three_dots_at_300_dpi() -> None:
    assert module_px(300) == 3


def test_rendered_bars_are_exactly_the_code128_modules(secret_folder: LabelContent) -> None:
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    image = render_label(secret_folder, *LABEL_MM, DPI)
    row = plan.bars.y + plan.bars.h // 2
    read = "".join(
        "0" if image.getpixel((plan.bars.x + i * plan.module_px + offset, row)) else "1"
        for i in range(len(plan.modules))
        for offset in range(plan.module_px)
    )
    # Every dot of every module has the module's colour: bars are whole modules wide.
    assert read == "".join(bit * plan.module_px for bit in modules(secret_folder.code))


def test_quiet_zones_are_white_and_inside_the_label_margin(secret_folder: LabelContent) -> None:
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    image = render_label(secret_folder, *LABEL_MM, DPI)
    assert plan.quiet_px == QUIET_ZONE_MODULES * plan.module_px
    left, right = plan.bars.x - plan.quiet_px, plan.bars.x + plan.bars.w + plan.quiet_px
    assert left >= plan.content.x and right <= plan.content.x + plan.content.w
    bottom = plan.bars.y + plan.bars.h
    for x in [*range(left, plan.bars.x), *range(plan.bars.x + plan.bars.w, right)]:
        assert column_is_white(image, x, plan.bars.y, bottom), f"ink in quiet zone at x={x}"
    # The outermost modules are bars, so the quiet zones really start where the symbol ends.
    assert not image.getpixel((plan.bars.x, plan.bars.y))
    assert not image.getpixel((plan.bars.x + plan.bars.w - 1, plan.bars.y))


def test_text_stays_clear_of_the_bars(secret_folder: LabelContent) -> None:
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    image = render_label(secret_folder, *LABEL_MM, DPI)
    left, right = plan.bars.x - plan.quiet_px, plan.bars.x + plan.bars.w + plan.quiet_px
    gap = 5  # dots of white directly above and below the bars
    for x in range(left, right):
        assert column_is_white(image, x, plan.bars.y - gap, plan.bars.y)
        assert column_is_white(image, x, plan.bars.y + plan.bars.h, plan.bars.y + plan.bars.h + gap)


def test_bars_are_at_least_ten_millimetres_tall(secret_folder: LabelContent) -> None:
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    assert plan.bars.h * 25.4 / DPI >= MIN_BAR_HEIGHT_MM


def test_fifteen_character_code_fits_a_l7160_label(secret_folder: LabelContent) -> None:
    bars = modules(secret_folder.code)
    assert 180 <= len(bars) <= 200
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    assert plan.module_px == 3  # fitted without shrinking


def test_too_long_code_is_refused_not_shrunk() -> None:
    code = "WC-TJ-2002-0137-SUPPLEMENT-VOLUME-B"
    label = LabelContent(code, "汇总表", "内部", False)
    with pytest.raises(BarcodeTooWide) as raised:
        render_label(label, *LABEL_MM, DPI)
    assert code in str(raised.value)
    assert "63.5 mm" in str(raised.value)


def test_label_is_one_bit_at_exact_size(secret_folder: LabelContent) -> None:
    image = render_label(secret_folder, *LABEL_MM, DPI)
    assert image.mode == "1"
    assert image.size == (750, 450)  # 63.5 x 38.1 mm at 300 dpi


# --- text --------------------------------------------------------------------------------


def test_font_is_a_cjk_font() -> None:
    assert "CJK" in cjk_font_path() or "cjk" in cjk_font_path().lower()
    assert cjk_font_path(bold=True)


@pytest.mark.parametrize("text", ["档案", "机密★", "汇总表…", "绝密"])
def test_chinese_renders_as_glyphs_not_boxes(text: str) -> None:
    boxes = text_bitmap(NOT_IN_FONT * len(text))
    assert text_bitmap(text) != boxes


def test_distinct_characters_render_distinctly() -> None:
    # If the font lacked both, both would be the same .notdef box.
    assert text_bitmap("档") != text_bitmap("案")
    assert text_bitmap("档") != text_bitmap(NOT_IN_FONT)


def test_label_title_renders_glyphs(secret_folder: LabelContent) -> None:
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    region = (plan.title.x, plan.title.y, plan.title.x + plan.title.w, plan.title.y + plan.title.h)

    def title_pixels(title: str) -> bytes:
        label = LabelContent("WC-1", title, "内部", False)
        return render_label(label, *LABEL_MM, DPI).crop(region).tobytes()

    assert title_pixels("档案") != title_pixels(NOT_IN_FONT * 2)


def test_long_title_is_wrapped_to_two_lines_and_ellipsised(secret_folder: LabelContent) -> None:
    title = "2002年全县农业普查汇总表及各乡镇分表（含附件、统计说明与历年对照数据）" * 3
    label = LabelContent(secret_folder.code, title, "内部", False)
    plan = plan_label(label, *LABEL_MM, DPI)
    font = cjk_font(px(TITLE_FONT_MM, DPI))
    assert len(plan.title_lines) == 2
    assert plan.title_lines[-1].endswith(ELLIPSIS)
    assert "".join(plan.title_lines)[:-1] in title
    assert all(font.getlength(line) <= plan.title.w for line in plan.title_lines)


def test_short_title_is_not_ellipsised(secret_folder: LabelContent) -> None:
    plan = plan_label(secret_folder, *LABEL_MM, DPI)
    assert plan.title_lines == (secret_folder.title,)


def test_numbers_are_not_split_across_lines() -> None:
    title = "全县农业普查汇总表及各乡镇分表含附件统计说明2002"
    plan = plan_label(LabelContent("WC-1", title, "内部", False), *LABEL_MM, DPI)
    assert any("2002" in line for line in plan.title_lines)


def test_classified_marking_is_a_black_banner(
    secret_folder: LabelContent, open_folder: LabelContent
) -> None:
    def black_share(label: LabelContent) -> float:
        plan = plan_label(label, *LABEL_MM, DPI)
        box = plan.marking
        crop = render_label(label, *LABEL_MM, DPI).crop(
            (box.x, box.y, box.x + box.w, box.y + box.h)
        )
        return crop.histogram()[0] / (box.w * box.h)

    assert black_share(secret_folder) > 0.7  # solid banner with white lettering
    assert black_share(open_folder) < 0.1  # plain black text on white
