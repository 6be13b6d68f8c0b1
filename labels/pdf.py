"""labels: folder -> printed label. A small streaming PDF writer for label sheets.

Each label bitmap goes into the file as its own 1-bit image mask the moment it is drawn, and
each page only places those images with an exact transformation matrix; the page tree and
the cross-reference table are written at the end. Nothing but object offsets and page numbers
is held in memory, so a batch of 100,000 labels needs no more memory than a batch of ten, and
no page is ever rasterised as a whole (an A4 page at 300 dpi is 8.7 million dots, almost all
white).

Image masks rather than images: the white of a label is not painted, so a label moved by the
printer calibration offset never blanks part of its neighbour, and the printer paints the ink
of each dot in solid black.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

POINTS_PER_INCH = 72.0
MM_PER_INCH = 25.4


def points(mm: float) -> float:
    return mm * POINTS_PER_INCH / MM_PER_INCH


@dataclass(frozen=True)
class Placement:
    """Where an image goes on a page, in points from the page's bottom-left corner."""

    image: int  # object number of the image mask
    x: float
    y: float
    width: float
    height: float


class PdfWriter:
    """Writes a PDF object by object to a binary file; close() finishes the file."""

    def __init__(self, file: BinaryIO, title: str = "", level: int = 6) -> None:
        self._file = file
        self._level = level
        self._title = title
        # Byte offset of object n at index n - 1, and the page objects in order: 8 and 4 bytes
        # each in compact arrays, the only things that grow with the batch.
        self._offsets = array("Q")
        self._kids = array("L")
        self._position = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # binary comment: not a text file
        self._catalog, self._pages = self._reserve(), self._reserve()

    def image_mask(self, width: int, height: int, ink: bytes) -> int:
        """Add a 1-bit image (rows padded to whole bytes, set bit = ink); return its number."""
        data = zlib.compress(ink, self._level)
        # ImageMask with Decode [1 0]: a set bit paints in the fill colour, a clear one leaves
        # the paper untouched.
        return self._stream(
            f"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ImageMask true "
            f"/BitsPerComponent 1 /Decode [1 0] /Filter /FlateDecode",
            data,
        )

    def page(self, width: float, height: float, placements: Sequence[Placement]) -> None:
        """Add a page of width x height points showing the placed images."""
        draws = "".join(
            f"q {_n(p.width)} 0 0 {_n(p.height)} {_n(p.x)} {_n(p.y)} cm /L{i} Do Q\n"
            for i, p in enumerate(placements)
        )
        contents = self._stream("", f"0 g\n{draws}".encode("ascii"))
        names = " ".join(f"/L{i} {p.image} 0 R" for i, p in enumerate(placements))
        self._kids.append(
            self._object(
                f"<< /Type /Page /Parent {self._pages} 0 R /MediaBox [0 0 {_n(width)} "
                f"{_n(height)}] /Resources << /XObject << {names} >> >> "
                f"/Contents {contents} 0 R >>"
            )
        )

    def close(self) -> None:
        """Write the page tree, catalogue, document information and cross-reference table."""
        kids = " ".join(f"{kid} 0 R" for kid in self._kids)
        self._object(f"<< /Type /Pages /Kids [{kids}] /Count {len(self._kids)} >>", self._pages)
        self._object(f"<< /Type /Catalog /Pages {self._pages} 0 R >>", self._catalog)
        info = self._object(f"<< /Title {_text(self._title)} /Producer (Vault labels) >>")
        start = self._position
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self._offsets) + 1))
        for offset in self._offsets:  # one entry at a time: the table is as long as the batch
            self._write(b"%010d 00000 n \n" % offset)
        self._write(
            f"trailer\n<< /Size {len(self._offsets) + 1} /Root {self._catalog} 0 R "
            f"/Info {info} 0 R >>\nstartxref\n{start}\n%%EOF\n".encode("ascii")
        )

    def _reserve(self) -> int:
        self._offsets.append(0)  # set when the object is written
        return len(self._offsets)

    def _object(self, body: str | bytes, number: int = 0) -> int:
        number = number or self._reserve()
        self._offsets[number - 1] = self._position
        raw = body.encode("ascii") if isinstance(body, str) else body
        self._write(b"%d 0 obj\n%b\nendobj\n" % (number, raw))
        return number

    def _stream(self, dictionary: str, data: bytes) -> int:
        head = f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode("ascii")
        return self._object(head + data + b"\nendstream")

    def _write(self, data: bytes) -> None:
        self._file.write(data)
        self._position += len(data)


def _n(value: float) -> str:
    """A PDF number to 1/10,000 point (0.04 micrometres), without trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(value: str) -> str:
    """A PDF text string in UTF-16 with a byte order mark: titles may be Chinese."""
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"
