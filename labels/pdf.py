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

Reports (vault.services.report_pdf) write their pages the same way and add an invisible text
layer over them (`text_font`, `invisible_text`), so their text can be searched and copied.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

POINTS_PER_INCH = 72.0
MM_PER_INCH = 25.4
_OUTSIDE_BMP = re.compile("[^\u0000-\ud7ff\ue000-\uffff]")  # and lone surrogates


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

    def __init__(
        self, file: BinaryIO, title: str = "", level: int = 6, producer: str = "Vault labels"
    ) -> None:
        self._file = file
        self._producer = producer
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

    def page(
        self,
        width: float,
        height: float,
        placements: Sequence[Placement],
        text_ops: bytes = b"",
        fonts: Mapping[str, int] | None = None,
    ) -> None:
        """Add a page of width x height points showing the placed images.

        text_ops are content-stream operators drawn after the images (reports put an invisible
        text layer there, so their pages can be searched and copied); fonts names the font
        objects (`text_font`) they use, e.g. {"F1": 12}. Without them a page is written as
        it always was."""
        draws = "".join(
            f"q {_n(p.width)} 0 0 {_n(p.height)} {_n(p.x)} {_n(p.y)} cm /L{i} Do Q\n"
            for i, p in enumerate(placements)
        )
        content = f"0 g\n{draws}".encode("ascii")
        if text_ops:
            # A text layer is many short hex strings: it shrinks several times when compressed.
            data = zlib.compress(content + text_ops, self._level)
            contents = self._stream("/Filter /FlateDecode", data)
        else:
            contents = self._stream("", content)
        names = " ".join(f"/L{i} {p.image} 0 R" for i, p in enumerate(placements))
        resources = f"/XObject << {names} >>"
        if fonts:
            resources += " /Font << " + " ".join(f"/{k} {v} 0 R" for k, v in fonts.items()) + " >>"
        self._kids.append(
            self._object(
                f"<< /Type /Page /Parent {self._pages} 0 R /MediaBox [0 0 {_n(width)} "
                f"{_n(height)}] /Resources << {resources} >> "
                f"/Contents {contents} 0 R >>"
            )
        )

    def text_font(self, widths: Mapping[int, int], default_width: int = 1000) -> int:
        """Add a font for an invisible text layer (see `invisible_text`) and return its number.

        Its character codes are UTF-16 code units, and a ToUnicode map says so, so extracting,
        searching and copying give back the text; no font file is embedded, as nothing of it
        is ever painted. `widths` (code -> thousandths of an em; the rest `default_width`)
        only need to be near the painted text's, since each line is scaled to fit anyway."""
        rows = [f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in range(256) if not 0xD8 <= h < 0xE0]
        ranges = "".join(  # a bfrange may only vary the last byte, and holds 100 at most
            f"{len(part)} beginbfrange\n" + "\n".join(part) + "\nendbfrange\n"
            for part in (rows[i : i + 100] for i in range(0, len(rows), 100))
        )
        cmap = (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{ranges}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        )
        unicode = self._stream("/Filter /FlateDecode", zlib.compress(cmap.encode(), self._level))
        descriptor = self._object(
            "<< /Type /FontDescriptor /FontName /InvisibleText /Flags 4 /FontBBox [0 -120 1000 "
            "880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
        )
        listed = " ".join(f"{code} [{w}]" for code, w in sorted(widths.items()))
        cid = self._object(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /InvisibleText /CIDSystemInfo "
            "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /DW {default_width} /W [{listed}] "
            "/CIDToGIDMap /Identity >>"
        )
        return self._object(
            "<< /Type /Font /Subtype /Type0 /BaseFont /InvisibleText /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {unicode} 0 R >>"
        )

    def close(self) -> None:
        """Write the page tree, catalogue, document information and cross-reference table."""
        kids = " ".join(f"{kid} 0 R" for kid in self._kids)
        self._object(f"<< /Type /Pages /Kids [{kids}] /Count {len(self._kids)} >>", self._pages)
        self._object(f"<< /Type /Catalog /Pages {self._pages} 0 R >>", self._catalog)
        info = self._object(f"<< /Title {_text(self._title)} /Producer {_text(self._producer)} >>")
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


def invisible_text(
    text: str, x: float, y: float, size: float, scale: float = 100.0, font: str = "F1"
) -> bytes:
    """Operators placing a line of a `text_font` font with its baseline starting at (x, y),
    `scale` percent as wide as the font's widths say; for a page's text_ops, inside
    "BT 3 Tr ... ET" (mode 3: neither filled nor stroked). A character outside the Basic
    Multilingual Plane is written as "?": the ToUnicode map covers one code unit each."""
    codes = _OUTSIDE_BMP.sub("?", text).encode("utf-16-be").hex().upper()
    return (
        f"/{font} {_n(size)} Tf {_n(scale)} Tz 1 0 0 1 {_n(x)} {_n(y)} Tm <{codes}> Tj\n".encode()
    )


def _n(value: float) -> str:
    """A PDF number to 1/10,000 point (0.04 micrometres), without trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(value: str) -> str:
    """A PDF text string in UTF-16 with a byte order mark: titles may be Chinese."""
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"
