"""What a printed barcode says: the folder code and which print of its label this is.

Every print of a folder's label gets the next generation number, and the barcode carries it
after a "+" (a character folder codes never contain), so a label that was reprinted can be told
from its replacement: "WC-TJ-2002-0137+2" is the second label of folder WC-TJ-2002-0137.

The generation is written in base 36 ("1"…"9", "A"…"Z", then "10"…), which keeps it one
character for the first 35 prints: on a 63.5 mm label every Code 128 character costs 2.8 mm,
and a typical archival code with its generation must still fit at the minimum bar width.

A code read without a "+" is a first-generation label (labels printed before generations were
recorded carried the bare code), so reprinting voids it like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = "+"
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class LabelCode:
    code: str
    generation: int | None  # None: the read carried no readable generation


def compose(code: str, generation: int) -> str:
    """The barcode text for a folder's label of this generation."""
    if generation < 1:
        raise ValueError(f"label generation must be 1 or more, got {generation}")
    digits = ""
    n = generation
    while n:
        n, d = divmod(n, 36)
        digits = _DIGITS[d] + digits
    return f"{code}{SEPARATOR}{digits}"


def parse(text: str) -> LabelCode:
    """Split a scanned barcode into folder code and generation (1 for a bare code)."""
    code, sep, suffix = text.strip().rpartition(SEPARATOR)
    if not sep:
        return LabelCode(suffix, 1)
    if suffix and all(c in _DIGITS for c in suffix.upper()) and code:
        return LabelCode(code, int(suffix, 36) or None)
    return LabelCode(code or text.strip(), None)
