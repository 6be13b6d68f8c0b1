"""labels: folder -> printed label. Finding a font that can print Chinese.

Folder titles and classification markings are Chinese; a font without those glyphs prints
.notdef boxes, which is worse than no label at all because it looks like it worked. So the
font is located once, checked, and refused loudly (FontMissing) rather than silently replaced
by whatever fallback the system offers.
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


class FontMissing(Exception):
    """No font with Chinese glyphs is installed, so labels cannot be printed legibly."""


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
