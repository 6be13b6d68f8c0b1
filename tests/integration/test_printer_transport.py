"""labels.printer: print data reaching a printer over a raw TCP socket and over a serial line.

The printer is played by real endpoints: a TCP server thread on 127.0.0.1 that reads like a
JetDirect port 9100, and a pseudo-terminal whose slave pyserial opens while the test reads the
master (and sends XOFF/XON as a printer with a full buffer does).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator

import pytest

from labels import LabelContent, render_label
from labels.printer import PrinterError, send
from labels.zpl import zpl_stream
from tests.conftest import Pty, free_port
from tests.zpl_decode import decode_labels

pytestmark = pytest.mark.no_database  # printer transports only: run once, not per database

XOFF, XON = b"\x13", b"\x11"
PtyFactory = Callable[[], Pty]


class RawPrintServer:
    """A port-9100 print server: takes one job, keeps its bytes (or just their digest)."""

    def __init__(self, port: int = 0, keep: bool = True, receive_buffer: int = 0) -> None:
        self.listener = socket.create_server(("127.0.0.1", port))
        if receive_buffer:  # inherited by the accepted connection
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.listener.settimeout(30)
        self.port = self.listener.getsockname()[1]
        self.keep, self.data, self.count = keep, bytearray(), 0
        self.digest = hashlib.sha256()
        self.stall = threading.Event()  # set before the job: connected but reading nothing
        self.release = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return  # closed, or no job came
        with connection:
            if self.stall.is_set():
                self.release.wait(30)
            else:
                while chunk := connection.recv(65536):
                    self.count += len(chunk)
                    self.digest.update(chunk)
                    if self.keep:
                        self.data.extend(chunk)
        self.done.set()

    def close(self) -> None:
        self.release.set()
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes a pending accept()
        self.listener.close()
        self.thread.join(10)


ServerFactory = Callable[..., RawPrintServer]


@pytest.fixture
def print_server() -> Iterator[Callable[..., RawPrintServer]]:
    servers: list[RawPrintServer] = []

    def make(**options: int | bool) -> RawPrintServer:
        servers.append(RawPrintServer(**options))  # type: ignore[arg-type]
        return servers[-1]

    yield make
    for server in servers:
        server.close()


class PtyPrinter:
    """Reads what the 'printer' on the master side of a pty receives, in a thread."""

    def __init__(self, pty: Pty, pause_for: float | None = None) -> None:
        self.pty, self.pause_for = pty, pause_for
        self.data = bytearray()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.pty.master, 65536)
            except OSError:
                return  # the test closed the pty
            if not chunk:
                return
            first = not self.data
            self.data.extend(chunk)
            if first and self.pause_for is not None:
                # Buffer full after the first bytes: XOFF, then XON once it has "printed".
                self.pty.write(XOFF)
                if self.pause_for > 0:
                    time.sleep(self.pause_for)
                    self.pty.write(XON)

    def wait_for(self, size: int, timeout: float = 10.0) -> bytes:
        deadline = time.monotonic() + timeout
        while len(self.data) < size and time.monotonic() < deadline:
            time.sleep(0.01)
        return bytes(self.data)


JOB = b"^XA^FO50,50^GB100,100,3^FS^XZ\n" * 50 + bytes(range(256))  # any bytes at all pass


# --- TCP -----------------------------------------------------------------------------------


def test_tcp_printer_receives_exactly_the_bytes_sent(print_server: ServerFactory) -> None:
    server = print_server()
    started = time.monotonic()
    assert send(f"tcp://127.0.0.1:{server.port}", JOB, timeout=5) == len(JOB)
    # The job's end reaches the printer as end-of-stream at once, not after a timeout.
    assert time.monotonic() - started < 1.5
    assert server.done.wait(5)
    assert bytes(server.data) == JOB


def test_tcp_accepts_a_stream_of_pieces(print_server: ServerFactory) -> None:
    server = print_server()
    pieces = [JOB[i : i + 1000] for i in range(0, len(JOB), 1000)]
    assert send(f"tcp://127.0.0.1:{server.port}", iter(pieces)) == len(JOB)
    assert server.done.wait(5)
    assert bytes(server.data) == JOB


def test_a_batch_of_2000_labels_streams_in_bounded_memory(print_server: ServerFactory) -> None:
    image = render_label(
        LabelContent(
            code="WC-TJ-2002-0137+2",
            title="2002年全县农业普查汇总表（第137卷）",
            marking="机密★ 30年",
            classified=True,
            location="A-03-02",
        ),
        101.6,
        50.8,
        300,
    )

    def batch() -> Iterator[bytes]:
        return zpl_stream((image, None) for _ in range(2000))

    expected, total = hashlib.sha256(), 0
    for chunk in batch():
        expected.update(chunk)
        total += len(chunk)
    server = print_server(keep=False)
    tracemalloc.start()
    try:
        sent = send(f"tcp://127.0.0.1:{server.port}", batch(), timeout=30)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert server.done.wait(10)
    assert sent == total == server.count
    assert server.digest.hexdigest() == expected.hexdigest()
    assert peak < total / 4, f"peak {peak} bytes while sending {total}"


def test_refused_connection_names_the_printer() -> None:
    target = f"tcp://127.0.0.1:{free_port()}"
    expected = re.escape(f"Printer {target} refused the connection")
    with pytest.raises(PrinterError, match=expected) as error:
        send(target, JOB, timeout=2)
    assert "\n" not in str(error.value)


def test_default_port_is_9100(print_server: ServerFactory) -> None:
    server = print_server(port=9100)
    assert send("tcp://127.0.0.1", JOB, timeout=5) == len(JOB)
    assert server.done.wait(5)
    assert bytes(server.data) == JOB


def test_a_printer_that_stops_reading_times_out(print_server: ServerFactory) -> None:
    server = print_server(receive_buffer=4096)
    server.stall.set()

    def endless() -> Iterator[bytes]:
        for _ in range(2000):  # 128 MB at most; the printer stalls long before
            yield b"\0" * 65536

    started = time.monotonic()
    with pytest.raises(PrinterError, match="stopped taking data for 0.5 s after"):
        send(f"tcp://127.0.0.1:{server.port}", endless(), timeout=0.5)
    assert time.monotonic() - started < 10


def test_unknown_address_scheme_is_refused() -> None:
    with pytest.raises(PrinterError, match="use tcp://host"):
        send("lpd://printer/queue", JOB)


# --- serial --------------------------------------------------------------------------------


def test_serial_printer_receives_exactly_the_bytes_sent(make_pty: PtyFactory) -> None:
    pty = make_pty()
    printer = PtyPrinter(pty)
    assert send(f"serial://{pty.path}?baud=9600", JOB, timeout=5) == len(JOB)
    assert printer.wait_for(len(JOB)) == JOB


@pytest.mark.parametrize("options", ["baud=115200&flow=rtscts", "flow=xonxoff&frame=7E1"])
def test_serial_options_are_accepted(make_pty: PtyFactory, options: str) -> None:
    pty = make_pty()
    printer = PtyPrinter(pty)
    job = JOB.decode("latin-1").encode("ascii", "ignore")  # 7-bit data for a 7E1 line
    assert send(f"serial://{pty.path}?{options}", job, timeout=5) == len(job)
    assert printer.wait_for(len(job)) == job


def test_software_flow_control_pauses_and_resumes(make_pty: PtyFactory) -> None:
    pty = make_pty()
    printer = PtyPrinter(pty, pause_for=0.8)
    job = JOB * 300  # far more than the pty's buffers, so the pause is felt
    started = time.monotonic()
    assert send(f"serial://{pty.path}?baud=115200&flow=xonxoff", job, timeout=5) == len(job)
    assert printer.wait_for(len(job)) == job
    assert time.monotonic() - started >= 0.7  # it really waited for XON


def test_a_printer_holding_xoff_times_out_with_a_clear_error(make_pty: PtyFactory) -> None:
    pty = make_pty()
    PtyPrinter(pty, pause_for=0)  # XOFF and never XON
    with pytest.raises(PrinterError, match=r"stopped taking data for 0.5 s") as error:
        send(f"serial://{pty.path}?baud=115200&flow=xonxoff", JOB * 400, timeout=0.5)
    assert pty.path in str(error.value)


def test_missing_serial_port_names_the_printer() -> None:
    target = "serial:///dev/ttyUSB-no-such-port?baud=9600"
    with pytest.raises(PrinterError, match="Cannot open serial port /dev/ttyUSB-no-such-port"):
        send(target, JOB)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("baud=fast", "baud must be a number"),
        ("flow=dtr", "flow one of"),
        ("frame=9X1", "8N1"),
        ("speed=9600", "unknown setting"),
    ],
)
def test_bad_serial_settings_are_named(query: str, message: str) -> None:
    with pytest.raises(PrinterError, match=message):
        send(f"serial:///dev/ttyS0?{query}", JOB)


def test_what_arrives_is_printable_zpl(print_server: ServerFactory) -> None:
    server = print_server()
    image = render_label(
        LabelContent(code="A-1", title="会议纪要", marking="内部", classified=False),
        63.5,
        38.1,
        203,
    )
    send(f"tcp://127.0.0.1:{server.port}", zpl_stream([(image, None)]))
    assert server.done.wait(5)
    [label] = decode_labels(bytes(server.data))
    assert label.image().tobytes() == image.tobytes()
