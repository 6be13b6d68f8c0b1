"""Broken variants of good frames, as a bad cable, a noisy line or an unplug produces them."""

from __future__ import annotations

import random


def bad_checksum(protocol: str, frame: bytes) -> bytes:
    """`frame` with its checksum wrong by one bit (or one hex digit), everything else intact."""
    data = bytearray(frame)
    if protocol in ("ssi", "chafon"):
        data[-1] ^= 0x01
    elif protocol == "m100":
        data[-2] ^= 0x01
    elif protocol in ("rdm6300", "id12"):
        data[12] = ord("1") if data[12] == ord("0") else ord("0")
    elif protocol == "vault":
        at = frame.rindex(b"*") + 4
        data[at] = ord("1") if data[at] == ord("0") else ord("0")
    else:
        raise ValueError(f"{protocol!r} frames carry no checksum")
    return bytes(data)


def truncated(frame: bytes, keep: int | None = None) -> bytes:
    """The first part of a frame: the device was unplugged or reset while sending it."""
    return frame[: len(frame) // 2 if keep is None else keep]


def noise(size: int, seed: int = 0) -> bytes:
    """Random bytes, the same for the same seed."""
    return random.Random(seed).randbytes(size)


def repeated(frame: bytes, times: int = 3) -> bytes:
    """A reader reporting one tag over and over while it stays in the field."""
    return frame * times
