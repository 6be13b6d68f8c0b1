"""labels: folder -> printed label. A label bitmap kept as packed 1-bit rows.

A label goes into the sheet PDF as an image mask of packed rows: one bit per dot, a set bit
black, rows padded to whole bytes (Pillow's raw mode "1;I"). Pillow keeps mode "1" images at
a byte per dot, and packing the 340,000 dots of a label at 300 dpi cost more than drawing it,
so labels are composed in packed form from the start.

Text is drawn as a Band: whole rows of the bitmap held as one Python int, the first row in
the most significant bits. Putting a glyph into a band is a shift and an OR on a few
kilobytes, done in C, where a Pillow paste cost microseconds of Python; a band goes into the
bitmap with one more OR. The bars, one row repeated, are copied in as bytes. Only black is
ever added: labels are white paper with black ink, and white-on-black text (the classified
banner) is drawn once per marking with Pillow and arrives as a band like any other.
"""

from __future__ import annotations

from typing import NamedTuple

from PIL import Image


class Band(NamedTuple):
    """Whole rows of a bitmap as one int, the first row in the most significant bits."""

    top: int  # row of the first row; for a line of text, relative to its baseline
    rows: int
    bits: int  # set bit = black dot; each row is stride_bits(width) bits


EMPTY = Band(0, 0, 0)


def stride_bits(width: int) -> int:
    """Bits per packed row: the width in dots, padded to whole bytes."""
    return (width + 7) // 8 * 8


class Bitmap:
    """A white label to which black bands are added; its packed rows go straight to the PDF."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.stride = stride_bits(width)
        self._data = bytearray(self.stride // 8 * height)

    def ink(self, band: Band, dy: int = 0) -> None:
        """Add the band's black dots with its first row at band.top + dy; rows outside the
        bitmap are dropped, as Pillow clips a paste."""
        top, rows, bits = band.top + dy, band.rows, band.bits
        if top < 0:  # drop the rows above the bitmap: the most significant ones
            rows += top
            bits &= (1 << (max(rows, 0) * self.stride)) - 1
            top = 0
        excess = top + rows - self.height
        if excess > 0:  # drop the rows below: the least significant ones
            bits >>= excess * self.stride
            rows -= excess
        if rows <= 0 or not bits:
            return
        row_bytes = self.stride // 8
        start, end = top * row_bytes, (top + rows) * row_bytes
        merged = int.from_bytes(self._data[start:end]) | bits
        self._data[start:end] = merged.to_bytes(end - start)

    def ink_rows(self, top: int, count: int, row: int) -> None:
        """Add `count` rows all equal to one packed row (stride bits), from row top: the bars.
        Copied as bytes, and merged with an OR only if those rows already have ink."""
        first, end = max(top, 0), min(top + count, self.height)
        if end <= first or not row:
            return
        row_bytes = self.stride // 8
        start, stop = first * row_bytes, end * row_bytes
        block, current = row.to_bytes(row_bytes) * (end - first), self._data[start:stop]
        if current.count(0) != len(current):
            block = (int.from_bytes(current) | int.from_bytes(block)).to_bytes(stop - start)
        self._data[start:stop] = block

    def tobytes(self) -> bytes:
        """The packed rows, set bit = black dot: the data of a PDF image mask."""
        return bytes(self._data)

    def image(self) -> Image.Image:
        """The bitmap as a Pillow mode "1" image, for thermal printers and tests."""
        return Image.frombytes("1", (self.width, self.height), bytes(self._data), "raw", "1;I")
