"""Printing labels for registered folders: generations, batches, thermal printers and tags.

Runs the `vault labels` command on a real SQLite file and reads what it produced the way a
printer and a scanner would: PDFs rasterised with pdftoppm, ZPL decoded back to the printed
image, barcodes decoded by zxing-cpp, tags decoded by the GS1 rules.
"""

from __future__ import annotations

import os
import pty
import select
import socket
import threading
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from labels.epc import decode_giai96, encode_giai96
from tests import databases
from tests.conftest import SAMPLE_CSV, run_vault, write_config
from tests.integration.test_label_pdf_decodes import decode_code128, rasterise
from tests.zpl_decode import decode_labels
from vault.db.models import Alarm, Folder, LabelPrint, database
from vault.domain.model import Read, StationKind
from vault.progress import ProgressBar
from vault.services.custody import record_read

PREFIX = "0614141"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    config = write_config(
        tmp_path,
        [{"id": "door-1", "kind": "warehouse_door", "port": "dev/door-1"}],
        extra=f'gs1_company_prefix = "{PREFIX}"',
    )
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    return config


def decoded_pdf(pdf: Path, tmp_path: Path) -> list[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    pages = rasterise(pdf, tmp_path)
    return sorted(c for page in pages for c in decode_code128(Image.open(page)))


def test_a_batch_then_a_reprint_carries_the_generations_and_voids_the_old_label(archive, tmp_path):
    run_vault(archive, "labels", "print", "--all", "-o", str(tmp_path / "all.pdf"))
    first = decoded_pdf(tmp_path / "all.pdf", tmp_path / "r1")
    assert len(first) == 12 and all(code.endswith("+1") for code in first)
    run_vault(archive, "labels", "print", "WC-TJ-2002-0137", "-o", str(tmp_path / "one.pdf"))
    assert decoded_pdf(tmp_path / "one.pdf", tmp_path / "r2") == ["WC-TJ-2002-0137+2"]
    history = run_vault(archive, "labels", "history", "WC-TJ-2002-0137").stdout
    assert "WC-TJ-2002-0137+2        valid" in history
    assert "WC-TJ-2002-0137+1        void" in history
    # The old label, scanned at the warehouse door, is refused and alarmed.
    databases.open_archive(tmp_path)
    try:
        read = Read("door-1", StationKind.WAREHOUSE_DOOR, first[0], datetime.now())
        assert first[0] == "WC-TJ-2002-0137+1"
        assert record_read(read, "old-label").event_kind == "void_label"
        assert Alarm.get().rule == "void label read"
    finally:
        database.close()


def test_selections_pick_unlabelled_folders_a_range_a_shelf_or_a_file(archive, tmp_path):
    def printed(*selection: str) -> list[str]:
        out = tmp_path / f"sel{len(list(tmp_path.glob('sel*')))}.pdf"
        result = run_vault(archive, "labels", "print", *selection, "-o", str(out), check=False)
        assert result.returncode == 0, result.stderr
        return [c.split("+")[0] for c in decoded_pdf(out, tmp_path / out.stem)]

    assert printed("--location", "A-01") == ["WC-TJ-2003-0011", "WC-TJ-2003-0012"]
    assert len(printed("--unlabelled")) == 10  # the two above already have labels
    assert printed("--range", "WC-TJ-2002-0000", "WC-TJ-2002-9999") == [
        "WC-TJ-2002-0137",
        "WC-TJ-2002-0138",
    ]
    codes = tmp_path / "codes.txt"
    codes.write_text("WC-TJ-2004-0202  # the reader asked for it\n\nWC-TJ-2002-0138\n")
    assert printed("--codes-file", str(codes)) == ["WC-TJ-2002-0138", "WC-TJ-2004-0202"]
    refused = run_vault(archive, "labels", "print", "NOPE-1", "WC-TJ-2002-0138", check=False)
    assert refused.returncode == 2 and "not registered: NOPE-1" in refused.stderr
    assert run_vault(archive, "labels", "print", check=False).returncode == 2  # says which?


class PrintServer:
    """A thermal printer's raw port: takes one job and keeps its bytes."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.data = b""
        self.thread = threading.Thread(target=self._take_job, daemon=True)
        self.thread.start()

    def _take_job(self) -> None:
        connection, _ = self.socket.accept()
        with connection:
            while chunk := connection.recv(65536):
                self.data += chunk


def test_a_thermal_batch_prints_the_labels_and_writes_each_folders_tag(archive, tmp_path):
    printer = PrintServer()
    target = f"tcp://127.0.0.1:{printer.port}"
    result = run_vault(
        archive, "labels", "print", "--location", "A-03", "--printer", target, "--rfid"
    )
    assert "sent 2 labels" in result.stdout
    printer.thread.join(timeout=10)
    labels = decode_labels(printer.data)
    assert len(labels) == 2
    databases.open_archive(tmp_path)
    try:
        for label in labels:
            [barcode] = decode_code128(label.image())
            folder = Folder.get(Folder.code == barcode.split("+")[0])
            assert barcode == f"{folder.code}+1"
            [(_, epc)] = label.rfid_writes
            assert epc == folder.rfid_epc == encode_giai96(PREFIX, folder.id)
            tag = decode_giai96(epc)
            assert (tag.company_prefix, tag.asset_reference) == (PREFIX, folder.id)
            assert LabelPrint.get(LabelPrint.folder == folder).epc == epc
    finally:
        database.close()


def test_an_unreachable_printer_records_no_generation(archive, tmp_path):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    result = run_vault(
        archive, "labels", "print", "--all", "--printer", f"tcp://127.0.0.1:{port}", check=False
    )
    assert result.returncode == 2 and "refused" in result.stderr
    assert "Traceback" not in result.stderr
    history = run_vault(archive, "labels", "history", "WC-TJ-2002-0137").stdout
    assert "0 print(s)" in history


def test_a_code_too_long_for_the_stock_is_refused_not_shrunk(archive, tmp_path):
    result = run_vault(
        archive,
        "labels",
        "print",
        "WC-TJ-2002-0137",
        "--stock",
        "L7651",
        "-o",
        str(tmp_path / "small.pdf"),
        check=False,
    )
    assert result.returncode == 2 and "mm" in result.stderr
    assert not (tmp_path / "small.pdf").exists()
    assert "0 print(s)" in run_vault(archive, "labels", "history", "WC-TJ-2002-0137").stdout


def test_a_preview_is_the_next_label_and_records_nothing(archive, tmp_path):
    png = tmp_path / "next.png"
    run_vault(archive, "labels", "preview", "WC-TJ-2002-0137", "-o", str(png))
    assert decode_code128(Image.open(png)) == ["WC-TJ-2002-0137+1"]
    assert "0 print(s)" in run_vault(archive, "labels", "history", "WC-TJ-2002-0137").stdout


def test_the_progress_bar_draws_on_a_terminal_only(tmp_path):
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        bar = ProgressBar("labels", terminal)
        for done in range(1, 41):
            bar(done, 40)
    shown = b""
    while select.select([master], [], [], 0.2)[0]:
        try:
            shown += os.read(master, 65536)
        except OSError:  # the terminal's other end is closed and everything was read
            break
    os.close(master)
    text = shown.decode()
    assert "40/40 labels 100%" in text and "[" + "#" * 30 + "]" in text
    plain = (tmp_path / "log.txt").open("w")
    ProgressBar("labels", plain)(5, 10)
    plain.close()
    assert (tmp_path / "log.txt").read_text() == ""
