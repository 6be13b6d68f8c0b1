"""labels: folder -> printed label. The label sheet stocks the archive prints on.

A stock is the geometry of a pre-cut sheet: paper size, how many labels across and down, the
label size, and where the first label sits. The published stocks below carry the makers'
template numbers; an archive with another stock describes it in its configuration and gets it
checked here (SheetStock.from_mapping), so a typo is reported before a sheet is wasted.

Sources for the published geometry (all in mm; US sizes are exact inch fractions):
LibreOffice's label database (officecfg Labels.xcu, in 1/100 mm) for the Avery A4 and US
Letter entries, checked against the symmetric margins the label and pitch sizes imply. Avery
rounds L7163 to 99.1 mm wide and L7651 to 21.2 mm tall, so their side and top margins are the
symmetric ones for those sizes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import NoReturn

PAGE_SIZES = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
FIT_TOLERANCE_MM = 0.01  # published numbers are rounded to hundredths of a millimetre


@dataclass(frozen=True)
class SheetStock:
    """Geometry of a label sheet in millimetres; a pitch runs from one label to the next."""

    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    left_margin: float
    top_margin: float
    horizontal_pitch: float
    vertical_pitch: float

    def __post_init__(self) -> None:
        _check(self)

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def label_origin(self, slot: int) -> tuple[float, float]:
        """Top-left corner in mm of the label in a slot, counted across rows from top left."""
        row, column = divmod(slot, self.columns)
        return (
            self.left_margin + column * self.horizontal_pitch,
            self.top_margin + row * self.vertical_pitch,
        )

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> SheetStock:
        """A user-defined stock from a configuration table; ValueError says what is wrong.

        Keys: name; page ("A4", "Letter" or [width, height]) or page_width and page_height;
        columns, rows, label_width, label_height, left_margin, top_margin; optionally
        horizontal_pitch and vertical_pitch (default: labels edge to edge).
        """
        known = {f.name for f in fields(cls)} | {"page"}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}; known: {sorted(known)}")
        page_width, page_height = _page(raw)
        label_width, label_height = _mm(raw, "label_width"), _mm(raw, "label_height")
        return cls(
            name=str(raw.get("name") or "").strip() or _missing("name"),
            page_width=page_width,
            page_height=page_height,
            columns=_count(raw, "columns"),
            rows=_count(raw, "rows"),
            label_width=label_width,
            label_height=label_height,
            left_margin=_mm(raw, "left_margin"),
            top_margin=_mm(raw, "top_margin"),
            horizontal_pitch=_mm(raw, "horizontal_pitch", label_width),
            vertical_pitch=_mm(raw, "vertical_pitch", label_height),
        )


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def _check(stock: SheetStock) -> None:
    """Refuse geometry that cannot be a real sheet: overlapping labels, labels off the page."""
    for name in ("page_width", "page_height", "label_width", "label_height"):
        _number(name, getattr(stock, name))
    for name in ("left_margin", "top_margin", "horizontal_pitch", "vertical_pitch"):
        _number(name, getattr(stock, name), allow_zero=True)
    for name in ("columns", "rows"):
        value = getattr(stock, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    across = (stock.columns, stock.label_width, stock.horizontal_pitch, stock.left_margin)
    _check_axis("across", *across, stock.page_width)
    down = (stock.rows, stock.label_height, stock.vertical_pitch, stock.top_margin)
    _check_axis("down", *down, stock.page_height)


def _check_axis(
    way: str, count: int, size: float, pitch: float, margin: float, page: float
) -> None:
    if count > 1 and pitch + FIT_TOLERANCE_MM < size:
        raise ValueError(
            f"labels overlap {way} the sheet: the pitch of {pitch:g} mm is less than the "
            f"label size of {size:g} mm"
        )
    end = margin + (count - 1) * pitch + size
    if end > page + FIT_TOLERANCE_MM:
        raise ValueError(
            f"labels run off the page {way} the sheet: the last one ends at {end:g} mm on a "
            f"{page:g} mm page ({end - page:.2f} mm too far)"
        )


def _number(name: str, value: object, allow_zero: bool = False) -> float:
    """A length in mm from the configuration: a finite number, not negative."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number of millimetres, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        least = "0 mm or more" if allow_zero else "more than 0 mm"
        raise ValueError(f"{name} must be {least}, got {value!r}")
    return float(value)


def _page(raw: Mapping[str, object]) -> tuple[float, float]:
    page = raw.get("page")
    if page is None:
        return _mm(raw, "page_width"), _mm(raw, "page_height")
    if isinstance(page, str):
        size = PAGE_SIZES.get(_key(page))
        if size is None:
            raise ValueError(f"page {page!r} is not A4 or Letter; give [width, height] in mm")
        return size
    if isinstance(page, list | tuple) and len(page) == 2:
        return _number("page width", page[0]), _number("page height", page[1])
    raise ValueError(f'page must be "A4", "Letter" or [width, height] in mm, got {page!r}')


def _mm(raw: Mapping[str, object], key: str, default: float | None = None) -> float:
    value = raw.get(key, default)
    return _missing(key) if value is None else _number(key, value, allow_zero=True)


def _count(raw: Mapping[str, object], key: str) -> int:
    value = raw.get(key)
    if value is None:
        _missing(key)
    return value  # type: ignore[return-value]  # a whole number: checked by _check


def _missing(key: str) -> NoReturn:
    raise ValueError(f"{key} is missing")


AVERY_L7160 = SheetStock("Avery L7160", 210.0, 297.0, 3, 7, 63.5, 38.1, 7.21, 15.15, 66.04, 38.1)
AVERY_L7163 = SheetStock("Avery L7163", 210.0, 297.0, 2, 7, 99.1, 38.1, 4.65, 15.15, 101.6, 38.1)
AVERY_L7651 = SheetStock("Avery L7651", 210.0, 297.0, 5, 13, 38.1, 21.2, 4.67, 10.7, 40.64, 21.2)
# 2 5/8 x 1 in labels, 3/16 in side margins, 1/8 in between columns, 1/2 in top margin.
AVERY_5160 = SheetStock("Avery 5160", 215.9, 279.4, 3, 10, 66.675, 25.4, 4.7625, 12.7, 69.85, 25.4)
# 4 x 2 in labels, 5/32 in side margins, 3/16 in between columns, 1/2 in top margin.
AVERY_5163 = SheetStock(
    "Avery 5163", 215.9, 279.4, 2, 5, 101.6, 50.8, 3.96875, 12.7, 106.3625, 50.8
)
STOCKS = (AVERY_L7160, AVERY_L7163, AVERY_L7651, AVERY_5160, AVERY_5163)


def find_stock(name: str) -> SheetStock:
    """A published stock by name: "Avery L7160", "avery l7160", "L7160" and "l 7160" all match."""
    wanted = _key(name)
    for stock in STOCKS:
        if wanted in (_key(stock.name), _key(stock.name.removeprefix("Avery"))):
            return stock
    known = ", ".join(stock.name for stock in STOCKS)
    raise KeyError(f"Unknown label stock {name!r}; known stocks: {known}.")
