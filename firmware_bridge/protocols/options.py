"""Driver options from a station's configuration table, checked once when the bridge starts.

A wrong option stops the bridge with a message naming the protocol, the option and what it
accepts, rather than a station that silently decodes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Converter = Callable[[object], object]


def parse_options(
    protocol: str, specs: Mapping[str, Converter], options: Mapping[str, object] | None
) -> dict[str, object]:
    """Check names and values against a driver's option table; return keyword arguments."""
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise ValueError(f"protocol {protocol!r}: options must be a table, not {options!r}")
    parsed: dict[str, object] = {}
    for name, value in options.items():
        if name not in specs:
            known = ", ".join(sorted(specs)) or "none"
            raise ValueError(f"protocol {protocol!r}: unknown option {name!r}; known: {known}")
        try:
            parsed[name] = specs[name](value)
        except (TypeError, ValueError) as e:
            raise ValueError(f"protocol {protocol!r}: option {name!r} {e}") from None
    return parsed


def seconds(low: float, high: float) -> Converter:
    def convert(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low < value <= high:
            raise ValueError(
                f"must be a number of seconds above {low} and at most {high}, not {value!r}"
            )
        return float(value)

    return convert


def integer(low: int, high: int) -> Converter:
    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}, not {value!r}")
        return value

    return convert


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value


def choice(*allowed: str) -> Converter:
    def convert(value: object) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(map(repr, allowed))}, not {value!r}")
        return str(value)

    return convert


def ascii_text(max_length: int) -> Converter:
    """Prefixes and suffixes: printable ASCII, as a scanner can be programmed to send."""

    def convert(value: object) -> bytes:
        ok = isinstance(value, str) and 0 < len(value) <= max_length
        if not ok or not all(" " <= c <= "~" for c in value):
            raise ValueError(f"must be 1 to {max_length} printable ASCII characters, not {value!r}")
        return value.encode("ascii")

    return convert


def list_of(item: Converter) -> Converter:
    def convert(value: object) -> tuple[object, ...]:
        if not isinstance(value, list | tuple) or not value:
            raise ValueError(f"must be a non-empty list, not {value!r}")
        return tuple(item(v) for v in value)

    return convert
