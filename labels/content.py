"""labels: folder -> printed label. What goes on one label.

The rest of the archive system composes a LabelContent per folder (code, title, marking
already worded for the folder's classification, the label generation being printed) and hands
a batch to labels.sheets. Keeping it a plain frozen record means this package never needs to
know how folders are stored.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelContent:
    """Everything printed on one folder label."""

    code: str  # folder code, printed under the bars, e.g. "WC-TJ-2002-0137"
    title: str  # folder title, usually Chinese; wrapped and ellipsised to fit
    marking: str  # classification marking as worded by the caller, e.g. "机密★ 30年"
    classified: bool  # secret levels get a black banner so they read in black and white
    location: str = ""  # home shelf location, e.g. "A-03-02"
    # What the Code 128 symbol carries, e.g. "WC-TJ-2002-0137+2" so a scan of a superseded
    # label can be told apart; empty means the folder code itself.
    barcode: str = ""
    generation: int = 1  # which print of this folder's label, shown as "G2"

    def __post_init__(self) -> None:
        if isinstance(self.generation, bool) or not isinstance(self.generation, int):
            raise ValueError(f"Label generation of folder {self.code!r} must be a whole number.")
        if self.generation < 1:
            raise ValueError(
                f"Label generation of folder {self.code!r} must be 1 or more, "
                f"got {self.generation}."
            )

    @property
    def barcode_data(self) -> str:
        """The data encoded in the symbol."""
        return self.barcode or self.code
