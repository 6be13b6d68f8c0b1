"""labels: folder -> printed label.

Renders folder labels (marking, title, label generation, Code 128 barcode, code and shelf
location) into a PDF of pre-cut label sheets for an office printer, or as single 1-bit label
images for a thermal printer. Self-contained: it knows nothing of how the archive stores
folders; callers pass LabelContent records in.
"""

from labels.code128 import BarcodeTooWide
from labels.content import LabelContent
from labels.epc import Giai96, decode_giai96, encode_giai96, is_giai96
from labels.fonts import FontMissing, GlyphMissing, cjk_font_path
from labels.printer import PrinterError, send
from labels.render import LabelTooSmall, render_label
from labels.sheets import write_sheets
from labels.stocks import (
    AVERY_5160,
    AVERY_5163,
    AVERY_L7160,
    AVERY_L7163,
    AVERY_L7651,
    STOCKS,
    SheetStock,
    find_stock,
)
from labels.zpl import label_zpl, write_zpl, zpl_stream

__all__ = [
    "AVERY_5160",
    "AVERY_5163",
    "AVERY_L7160",
    "AVERY_L7163",
    "AVERY_L7651",
    "STOCKS",
    "BarcodeTooWide",
    "FontMissing",
    "Giai96",
    "GlyphMissing",
    "LabelContent",
    "LabelTooSmall",
    "PrinterError",
    "SheetStock",
    "cjk_font_path",
    "decode_giai96",
    "encode_giai96",
    "find_stock",
    "is_giai96",
    "label_zpl",
    "render_label",
    "send",
    "write_sheets",
    "write_zpl",
    "zpl_stream",
]
