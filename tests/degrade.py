"""A printed label as a worn printer and a hand-held scanner see it, for barcode tests.

Tests render a clean 1-bit label, pass it through degrade() and ask an independent decoder
(zxing-cpp) to read the Code 128 symbol. The defects are the ones archive staff meet:

- speckle: stray black dots from toner dust or a dirty thermal head, on white areas;
- dropouts: white holes in black areas from worn drum or ribbon creases;
- dead dots: a burnt-out thermal printhead element leaves a thin white streak down the label;
- blur: toner spread, ink bleed into paper and scanner optics, about one printer dot;
- skew: a label stuck on 2-4 degrees off square, on white background (the folder).

Everything is seeded, so a failing case can be reproduced exactly. Pillow only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter


@dataclass(frozen=True)
class Wear:
    """How worn the printer is; the defaults are a tired but still usable office machine."""

    blur_dots: float = 1.0  # Gaussian blur radius, in printer dots
    speckle: float = 0.01  # fraction of white dots printed black
    dropout: float = 0.03  # fraction of black dots left white
    dead_dots: int = 0  # printhead elements that no longer heat (white vertical lines)
    angle: float = 3.0  # degrees the label is turned; the sign is chosen by the seed


def degrade(image: Image.Image, wear: Wear | None = None, seed: int = 0) -> Image.Image:
    """A greyscale ("L") picture of the label after printing with `wear` and sticking on."""
    wear = wear or Wear()
    rng = random.Random(seed)
    grey = image.convert("L")
    grey = _sprinkle(grey, rng, wear.speckle, 0)  # black dots on white
    grey = _sprinkle(grey, rng, wear.dropout, 255)  # white holes in black
    grey = _dead_dots(grey, rng, wear.dead_dots)
    grey = grey.filter(ImageFilter.GaussianBlur(wear.blur_dots))
    angle = wear.angle if rng.random() < 0.5 else -wear.angle
    # expand keeps the corners; white fill is the folder around the label.
    return grey.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _sprinkle(grey: Image.Image, rng: random.Random, fraction: float, value: int) -> Image.Image:
    """Set a random `fraction` of the dots that are not already `value` to `value`."""
    if fraction <= 0:
        return grey
    noise = Image.frombytes("L", grey.size, rng.randbytes(grey.width * grey.height))
    cut = round(fraction * 256)
    mask = noise.point(lambda v: 255 if v < cut else 0)
    flat = Image.new("L", grey.size, value)
    return Image.composite(flat, grey, mask)


def _dead_dots(grey: Image.Image, rng: random.Random, count: int) -> Image.Image:
    """White full-length columns where printhead elements have failed."""
    if count <= 0:
        return grey
    streaks = Image.new("L", grey.size, 0)
    for x in rng.sample(range(grey.width), count):
        streaks.paste(255, (x, 0, x + 1, grey.height))
    return ImageChops.lighter(grey, streaks)
