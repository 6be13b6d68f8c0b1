"""labels: folder -> printed label.

Renders folder labels (marking, title, Code 128 barcode, code and shelf location) into a PDF
of pre-cut label sheets for an office printer. Self-contained: it knows nothing of how the
archive stores folders; callers pass LabelContent records in.
"""

from labels.code128 import BarcodeTooWide
from labels.content import LabelContent
from labels.fonts import FontMissing, cjk_font_path
from labels.render import render_label
from labels.sheets import AVERY_L7160, SheetStock, write_sheets

__all__ = [
    "AVERY_L7160",
    "BarcodeTooWide",
    "FontMissing",
    "LabelContent",
    "SheetStock",
    "cjk_font_path",
    "render_label",
    "write_sheets",
]
