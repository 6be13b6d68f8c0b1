"""What a Zebra printer would make of our ZPL: label formats parsed back into dots.

Written from the ZPL II Programming Guide (^XA/^XZ formats, ^PW, ^LL, ^FO, ^GF, ^RS, ^RF,
^FD, ^PQ; ASCII hex compression; B64/Z64 encodings), not from labels.zpl, so the tests compare
two independent readings of the manual. The Z64 CRC is computed bit by bit here (CRC-16 with
the CCITT polynomial 0x1021 and initial value 0) and checked against its catalogue value in
the tests; the encoder uses the library routine.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass, field

from PIL import Image

_COMMAND = re.compile(r"([\^~])([A-Z@][A-Z0-9@]?)([^\^~]*)")
_HEX_DIGITS = "0123456789ABCDEF"


class ZplError(AssertionError):
    """The ZPL would not print as intended (a test failure, so an AssertionError)."""


@dataclass
class DecodedLabel:
    """One ^XA ... ^XZ format as the printer would take it."""

    width: int | None = None  # ^PW, dots
    length: int | None = None  # ^LL, dots
    copies: int = 1  # ^PQ
    rfid_setup: list[str] = field(default_factory=list)  # ^RS parameters
    rfid_writes: list[tuple[str, str]] = field(default_factory=list)  # (^RF parameters, ^FD)
    graphics: list[tuple[int, int, Image.Image]] = field(default_factory=list)  # ^FO x, y

    def image(self) -> Image.Image:
        """The printed label: ^PW x ^LL dots, white, with every graphic field at its origin."""
        if self.width is None or self.length is None:
            raise ZplError("the label has no ^PW or no ^LL, so its size depends on the printer")
        canvas = Image.new("1", (self.width, self.length), 1)
        for x, y, graphic in self.graphics:
            canvas.paste(graphic, (x, y))
        return canvas


def decode_labels(zpl: bytes) -> list[DecodedLabel]:
    """Every label format in a ZPL stream, in order."""
    labels: list[DecodedLabel] = []
    current: DecodedLabel | None = None
    origin = (0, 0)
    pending_rf: str | None = None
    for prefix, name, params in _COMMAND.findall(zpl.decode("ascii")):
        command = prefix + name
        if command == "^XA":
            current, origin, pending_rf = DecodedLabel(), (0, 0), None
            continue
        if current is None:
            raise ZplError(f"{command} outside a label format (no ^XA before it)")
        if command == "^XZ":
            labels.append(current)
            current = None
        elif command == "^FO":
            x, y = (int(v or 0) for v in (params.split(",") + ["0"])[:2])
            origin = (x, y)
        elif command == "^GF":
            current.graphics.append((*origin, decode_graphic_field(params)))
        elif command == "^RF":
            pending_rf = params.strip()
        elif command == "^FD" and pending_rf is not None:
            current.rfid_writes.append((pending_rf, params.strip()))
            pending_rf = None
        else:
            _simple_command(current, command, params.strip())
    if current is not None:
        raise ZplError("the stream ends inside a label format (no ^XZ)")
    return labels


def decode_gfa(zpl: bytes) -> list[Image.Image]:
    """The printed image of every label format in the stream."""
    return [label.image() for label in decode_labels(zpl)]


def _simple_command(label: DecodedLabel, command: str, params: str) -> None:
    if command == "^PW":
        label.width = int(params)
    elif command == "^LL":
        label.length = int(params)
    elif command == "^PQ":
        label.copies = int(params.split(",")[0] or 1)
    elif command == "^RS":
        label.rfid_setup.append(params)


def decode_graphic_field(params: str) -> Image.Image:
    """^GFa,b,c,d,data -> the field's bitmap (d * 8 dots wide, c / d rows)."""
    kind, binary_count, field_count, row_bytes, data = params.split(",", 4)
    if kind != "A":
        raise ZplError(f"^GF compression type {kind!r}: only ASCII (A) is expected here")
    total, per_row = int(field_count), int(row_bytes)
    if int(binary_count) != total:
        raise ZplError(f"^GFA byte counts differ ({binary_count} vs {field_count})")
    if not (1 <= total <= 99999 and total % per_row == 0):
        raise ZplError(f"^GFA field of {total} bytes at {per_row} bytes per row")
    data = re.sub(r"\s", "", data)
    if data.startswith((":Z64:", ":B64:")):
        raw = _zb64(data)
    else:
        raw = _ascii_hex(data, per_row, total // per_row)
    if len(raw) != total:
        raise ZplError(f"^GFA data holds {len(raw)} bytes, the field says {total}")
    size = (per_row * 8, total // per_row)
    # In ZPL a set bit is a black dot; Pillow's "1;I" raw mode reads exactly that.
    return Image.frombytes("1", size, raw, "raw", "1;I")


def crc16_ccitt_zero(data: bytes) -> int:
    """CRC-16, polynomial x^16 + x^12 + x^5 + 1 (0x1021), initial value 0, no reflection."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = (crc << 1 ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _zb64(data: str) -> bytes:
    match = re.fullmatch(r":(Z64|B64):([A-Za-z0-9+/=]+):([0-9A-Fa-f]{4})", data)
    if not match:
        raise ZplError(f"malformed ZB64 data starting {data[:20]!r}")
    kind, text, crc = match.groups()
    if crc16_ccitt_zero(text.encode("ascii")) != int(crc, 16):
        raise ZplError(f"{kind} CRC {crc} does not match the data: the printer would abort")
    payload = base64.b64decode(text, validate=True)
    if kind == "B64":
        return payload
    inflater = zlib.decompressobj(wbits=32 + zlib.MAX_WBITS)  # a zlib or gzip stream
    raw = inflater.decompress(payload)
    if not inflater.eof or inflater.unused_data:
        raise ZplError("Z64 data is not one complete compressed stream")
    return raw


def _ascii_hex(data: str, row_bytes: int, row_count: int) -> bytes:
    """Expand ASCII hex with Zebra's compression: G-Y / g-z repeat counts, ',' '!' ':'."""
    width = 2 * row_bytes  # hex digits per row
    rows: list[str] = []
    row, count = "", 0
    for char in data:
        if "G" <= char <= "Y":
            count += ord(char) - ord("F")
        elif "g" <= char <= "z":
            count += 20 * (ord(char) - ord("f"))
        elif char in ",!:":
            if count:
                raise ZplError(f"repeat count before {char!r}")
            if char == ":":
                if row or not rows:
                    raise ZplError("':' must start a row and follow one")
                row = rows[-1]
            else:
                row = row.ljust(width, "0" if char == "," else "F")
        elif char.upper() in _HEX_DIGITS:
            row += char.upper() * (count or 1)
            count = 0
        else:
            raise ZplError(f"unexpected character {char!r} in ^GFA data")
        if len(row) > width:
            raise ZplError(f"row {len(rows)} runs past {row_bytes} bytes")
        if len(row) == width:
            rows.append(row)
            row = ""
    if row or count:
        raise ZplError("^GFA data ends inside a row")
    if len(rows) != row_count:
        raise ZplError(f"^GFA data has {len(rows)} rows, the field says {row_count}")
    return bytes.fromhex("".join(rows))
