"""labels: folder -> printed label. Getting print data (ZPL, or any printer language) to a printer.

Two connections cover the archive's label printers:

    tcp://host[:port]                       raw socket printing (JetDirect), port 9100 by default
    serial:///dev/ttyUSB0?baud=9600&flow=rtscts&frame=8N1
                                            a serial port; flow is none, rtscts (hardware) or
                                            xonxoff (software); frame is data bits, parity, stop

send() writes in chunks as the data arrives, so a 2,000-label batch produced by a generator
(labels.zpl.zpl_stream) streams to the printer without being held in memory. A printer that
stops taking data (out of labels, paused, XOFF held) for `timeout` seconds ends the job.

Every failure is a PrinterError with one line naming the printer and what to check, for the CLI
to print and the web page to show; no traceback reaches the person at the printer.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import parse_qs, urlsplit

import serial

DEFAULT_PORT = 9100  # raw printing port of JetDirect-style print servers and Zebra printers
CHUNK_BYTES = 64 * 1024  # written per call: small enough to notice a stalled printer early
_FLOWS = {"none": (False, False), "rtscts": (True, False), "xonxoff": (False, True)}
_PARITIES = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}


class PrinterError(Exception):
    """The print data did not (all) reach the printer; the message says which and why."""


def send(target: str, data: bytes | Iterable[bytes], timeout: float = 10.0) -> int:
    """Send print data to the printer at `target`; returns the number of bytes delivered."""
    address = urlsplit(target)
    if address.scheme == "tcp":
        return _send_tcp(target, address.hostname, address.port, _chunks(data), timeout)
    if address.scheme == "serial":
        # serial:///dev/ttyUSB0 keeps the path; serial://COM3 puts the port name in the netloc.
        path = address.netloc + address.path
        if not path:
            raise PrinterError(f"Printer address {target!r} names no serial port.")
        return _send_serial(target, path, parse_qs(address.query), _chunks(data), timeout)
    raise PrinterError(
        f"Unknown printer address {target!r}: use tcp://host[:port] or "
        f"serial:///dev/ttyUSB0?baud=9600."
    )


def _chunks(data: bytes | Iterable[bytes]) -> Iterator[bytes]:
    pieces = [data] if isinstance(data, bytes | bytearray | memoryview) else data
    for piece in pieces:
        view = memoryview(piece)
        for start in range(0, len(view), CHUNK_BYTES):
            yield view[start : start + CHUNK_BYTES].tobytes()


def _send_tcp(
    target: str, host: str | None, port: int | None, chunks: Iterator[bytes], timeout: float
) -> int:
    if not host:
        raise PrinterError(f"Printer address {target!r} names no host.")
    port = port or DEFAULT_PORT
    try:
        connection = socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as error:
        raise PrinterError(f"Printer {target}: no such host {host!r} ({error.strerror}).") from None
    except TimeoutError:
        raise PrinterError(
            f"Printer {target} did not answer within {timeout:g} s: is it switched on and "
            f"on the network?"
        ) from None
    except ConnectionRefusedError:
        raise PrinterError(
            f"Printer {target} refused the connection: is port {port} its raw printing port, "
            f"and is it not busy with another computer's job?"
        ) from None
    except OSError as error:
        raise PrinterError(f"Cannot reach printer {target}: {error.strerror or error}.") from None
    with connection:
        sent = _stream(target, connection.sendall, chunks, timeout)
        _finish_tcp(connection, timeout)
    return sent


def _stream(
    target: str, write: Callable[[bytes], object], chunks: Iterator[bytes], timeout: float
) -> int:
    """Write every chunk; translate a stall or a dropped line into the printer's own words."""
    sent = 0
    for chunk in chunks:
        try:
            write(chunk)
        except (TimeoutError, serial.SerialTimeoutException):
            raise PrinterError(
                f"Printer {target} stopped taking data for {timeout:g} s after {sent} bytes: "
                f"check for an empty label roll, an open head or a paused printer."
            ) from None
        except (OSError, serial.SerialException) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            raise PrinterError(
                f"Printer {target} dropped the connection after {sent} bytes ({reason})."
            ) from None
        sent += len(chunk)
    return sent


def _finish_tcp(connection: socket.socket, timeout: float) -> None:
    """Half-close and wait briefly for the printer to close: closing a socket with unread
    replies in it resets the connection, and a reset can discard the end of the job."""
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(min(timeout, 2.0))
        while connection.recv(4096):
            pass


def _send_serial(
    target: str, path: str, options: dict[str, list[str]], chunks: Iterator[bytes], timeout: float
) -> int:
    settings = _serial_settings(target, options)
    try:
        port = serial.Serial(path, write_timeout=timeout, **settings)
    except (serial.SerialException, ValueError, OSError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PrinterError(
            f"Cannot open serial port {path} for printer {target}: {reason}"
        ) from None
    with port:
        # pyserial's write timeout covers a whole write call, so no chunk may need longer
        # than half the timeout at the line's speed (about 10 bits a byte).
        size = max(16, min(CHUNK_BYTES, int(port.baudrate / 10 * timeout / 2)))
        try:
            sent = _stream(target, port.write, _sized(chunks, size), timeout)
            _drain(target, port, sent, timeout)
        except PrinterError:
            # Drop what is still queued, or closing the port waits for the stalled printer.
            with contextlib.suppress(serial.SerialException, OSError):
                port.reset_output_buffer()
            raise
    return sent


def _serial_settings(target: str, options: dict[str, list[str]]) -> dict[str, object]:
    """pyserial settings from the address's query: baud, flow and frame (e.g. 8N1)."""
    unknown = set(options) - {"baud", "flow", "frame"}
    if unknown:
        raise PrinterError(f"Printer {target}: unknown setting(s) {', '.join(sorted(unknown))}.")
    baud = options.get("baud", ["9600"])[-1]
    flow = options.get("flow", ["none"])[-1]
    frame = options.get("frame", ["8N1"])[-1].upper()
    if not baud.isdigit() or flow not in _FLOWS:
        raise PrinterError(
            f"Printer {target}: baud must be a number and flow one of none, rtscts, xonxoff."
        )
    if (
        len(frame) != 3
        or frame[0] not in "5678"
        or frame[1] not in _PARITIES
        or frame[2] not in "12"
    ):
        raise PrinterError(f"Printer {target}: frame {frame!r} is not like 8N1 or 7E1.")
    rtscts, xonxoff = _FLOWS[flow]
    return {
        "baudrate": int(baud),
        "bytesize": int(frame[0]),
        "parity": _PARITIES[frame[1]],
        "stopbits": int(frame[2]),
        "rtscts": rtscts,
        "xonxoff": xonxoff,
    }


def _sized(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    for chunk in chunks:
        for start in range(0, len(chunk), size):
            yield chunk[start : start + size]


def _drain(target: str, port: serial.Serial, sent: int, timeout: float) -> None:
    """Wait (bounded) until the port has sent everything; a plain flush() would wait forever
    on a printer that holds XOFF or drops CTS."""
    deadline = time.monotonic() + timeout
    while port.out_waiting:
        if time.monotonic() > deadline:
            raise PrinterError(
                f"Printer {target} stopped taking data for {timeout:g} s with "
                f"{port.out_waiting} of {sent} bytes still queued: check the printer."
            )
        time.sleep(0.02)
