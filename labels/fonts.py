"""labels: folder -> printed label. Finding a font that can print Chinese, and its glyphs.

Folder titles and classification markings are Chinese; a font without those glyphs prints
.notdef boxes, which is worse than no label at all because it looks like it worked. So the
font is located once, checked, and refused loudly (FontMissing) rather than silently replaced
by whatever fallback the system offers; a character the font lacks (a rare ideograph, an
emoji) is refused the same way (GlyphMissing) instead of printing as an empty box.

Glyphs are rasterised by FreeType once per character and size and kept as packed bits: a
batch of thousands of labels draws the same few thousand characters over and over, and
placing cached bits (labels.text) costs a fraction of asking FreeType to render the line
again.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

DEBIAN_PACKAGE = "fonts-noto-cjk"

# Debian's fonts-noto-cjk layout; checked first so the common case needs no subprocess.
_KNOWN_FILES = {
    False: ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
    True: ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",),
}
# A .ttc bundles JP, KR, SC, TC and HK faces; titles are Simplified Chinese, so prefer SC
# glyph forms and accept any other CJK face before giving up.
_PREFERRED_SUFFIXES = (" SC", " CJK", "")
# A code point no font maps (the last Unicode noncharacter): it draws the font's .notdef glyph.
_UNMAPPED = "\U0010ffff"
GLYPH_CACHE_SIZE = 8192  # packed glyphs of a few hundred bytes: a few MB, whatever the batch
# FreeType's 1-bit masks come as a byte per dot, 0 or 255; as "0"/"1" digits they parse as ints.
_DOTS_AS_DIGITS = bytes.maketrans(bytes(range(256)), b"0" + b"1" * 255)


class FontMissing(Exception):
    """No font with Chinese glyphs is installed, so labels cannot be printed legibly."""


class GlyphMissing(FontMissing):
    """Text to print has a character the installed font cannot draw."""


@dataclass(frozen=True)
class Glyph:
    """One character rasterised at one size, placed relative to the pen on the baseline."""

    packed: bytes  # rows top to bottom, padded to whole bytes, leftmost dot high, set = ink
    width: int  # in dots
    height: int  # in rows; 0 for a blank glyph such as a space
    left: int  # the bitmap's left edge relative to the pen position
    top: int  # the bitmap's top edge relative to the baseline (negative: above it)
    advance: float  # how far the pen moves, in dots
    drawable: bool  # False when the font has no glyph and would draw .notdef


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int  # face index inside a .ttc collection


def cjk_font_path(bold: bool = False) -> str:
    """Path of a font file with Chinese glyphs; raises FontMissing if there is none."""
    return cjk_font_file(bold).path


@functools.cache
def cjk_font_file(bold: bool = False) -> FontFile:
    """The font file and face index used for all label text (cached per weight)."""
    for path in _KNOWN_FILES[bold]:
        if Path(path).is_file():
            return FontFile(path, _best_face(path))
    found = _fontconfig_match(bold)
    if found is None:
        weight = "bold" if bold else "regular"
        raise FontMissing(
            f"No {weight} font with Chinese glyphs was found, so folder labels cannot be "
            f"printed. Install the Debian package {DEBIAN_PACKAGE} "
            f"(apt-get install {DEBIAN_PACKAGE}) and try again."
        )
    return found


@functools.cache
def cjk_font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A loaded font at a pixel size; cached because loading a CJK .ttc takes milliseconds."""
    file = cjk_font_file(bold)
    # BASIC layout: Chinese needs no shaping, and it is several times faster than raqm.
    return ImageFont.truetype(
        file.path, size_px, index=file.index, layout_engine=ImageFont.Layout.BASIC
    )


@functools.lru_cache(maxsize=GLYPH_CACHE_SIZE)
def glyph(font: ImageFont.FreeTypeFont, char: str) -> Glyph:
    """The cached glyph of one character, rasterised as FreeType does for 1-bit images."""
    mask, advance, signature = _rasterise(font, char)
    drawable = signature != _notdef_signature(font)
    (width, height), (left, top) = mask.size, signature[1]
    if width == 0 or height == 0:
        return Glyph(b"", 0, 0, 0, 0, advance, drawable)
    digits, pad = signature[2].translate(_DOTS_AS_DIGITS), b"0" * (-width % 8)
    packed = b"".join(
        int(digits[i : i + width] + pad, 2).to_bytes((width + 7) // 8)
        for i in range(0, width * height, width)
    )
    return Glyph(packed, width, height, left, top, advance, drawable)


def require_glyphs(text: str, font: ImageFont.FreeTypeFont, what: str) -> None:
    """Raise GlyphMissing naming the first character of text the font cannot draw."""
    for char in text:
        if not glyph(font, char).drawable:
            family = " ".join(name for name in font.getname() if name)
            raise GlyphMissing(
                f"{what} contains {char!r} (U+{ord(char):04X}), which the installed font "
                f"{family} cannot print: it would come out as an empty box. Labels are "
                f"printed with the Noto CJK fonts of the Debian package {DEBIAN_PACKAGE}; "
                f"install or update it (apt-get install {DEBIAN_PACKAGE}), or correct the text."
            )


def _rasterise(font: ImageFont.FreeTypeFont, char: str) -> tuple[object, float, tuple]:
    """FreeType's 1-bit mask of a character and a signature to compare it by."""
    mask, offset = font.getmask2(char, mode="1", anchor="ls")
    advance = font.getlength(char)
    return mask, advance, (mask.size, offset, bytes(mask), advance)


@functools.lru_cache(maxsize=64)
def _notdef_signature(font: ImageFont.FreeTypeFont) -> tuple:
    # FreeType gives no "is this character mapped" call through Pillow; a character it cannot
    # map is drawn with glyph 0 (.notdef), so its bitmap and advance match an unmapped one.
    return _rasterise(font, _UNMAPPED)[2]


def _best_face(path: str) -> int:
    """Index of the Simplified Chinese face in a collection, or 0 for a single-face file."""
    names: list[str] = []
    for index in range(16):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break  # past the last face of the collection
        names.append(family)
    for suffix in _PREFERRED_SUFFIXES:
        for index, family in enumerate(names):
            if family.endswith(suffix):
                return index
    return 0


def _fontconfig_match(bold: bool) -> FontFile | None:
    """Ask fontconfig for a Chinese-capable sans font; None when there is none."""
    if shutil.which("fc-match") is None:
        return None
    weight = "bold" if bold else "regular"
    result = subprocess.run(
        ["fc-match", "-f", r"%{file}\n%{index}\n%{lang}", f"sans:lang=zh-cn:weight={weight}"],
        capture_output=True,
        text=True,
        check=False,
    )
    parts = result.stdout.split("\n")
    # fc-match always answers with its best guess, even a Latin-only font: check coverage.
    if result.returncode != 0 or len(parts) != 3 or "zh-cn" not in parts[2].split("|"):
        return None
    path, index, _ = parts
    return FontFile(path, int(index or 0)) if Path(path).is_file() else None
