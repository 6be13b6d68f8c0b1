"""labels: folder -> printed label. What goes on one label.

The rest of the archive system composes a LabelContent per folder (code, title, marking
already worded for the folder's classification) and hands a batch to labels.sheets. Keeping it a
plain frozen record means this package never needs to know how folders are stored.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelContent:
    """Everything printed on one folder label."""

    code: str  # folder code, printed as Code 128 and as text, e.g. "WC-TJ-2002-0137"
    title: str  # folder title, usually Chinese; wrapped to two lines and ellipsised
    marking: str  # classification marking as worded by the caller, e.g. "机密★ 30年"
    classified: bool  # secret levels get a black banner so they read in black and white
    location: str = ""  # home shelf location, e.g. "A-03-02"
