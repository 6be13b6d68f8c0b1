"""Where a batch of labels goes: sheet PDFs for an office printer, ZPL for a thermal printer.

Both record the batch's generations only after the output exists (see `services.labels`). A
thermal batch with an RFID encoder writes each folder's tag in the same pass: the folder's
recorded tag identity if it has one, otherwise a GIAI-96 EPC from the archive's GS1 company
prefix and the folder's number.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from labels import epc as epc_codec
from labels import printer, zpl
from labels.render import render_label
from labels.sheets import SheetStock, write_sheets
from labels.stocks import find_stock
from vault.config import Config, LabelsConfig
from vault.db.models import Folder
from vault.services import labels as label_service
from vault.services.errors import VaultError
from vault.services.labels import Planned, Progress, Selection


def stock_named(config: LabelsConfig, name: str | None = None) -> SheetStock:
    """A user-defined stock from the configuration, else a published one."""
    wanted = name or config.stock
    for raw in config.stocks:
        if str(raw.get("name", "")).casefold() == wanted.casefold():
            try:
                return SheetStock.from_mapping(raw)
            except ValueError as e:
                raise VaultError(f"label stock {wanted!r} in the configuration: {e}") from None
    try:
        return find_stock(wanted)
    except (KeyError, ValueError) as e:
        raise VaultError(str(e).strip("'\"")) from None


def print_sheets(
    config: Config,
    selection: Selection,
    path: Path,
    *,
    everything: bool = False,
    stock_name: str | None = None,
    start: int = 1,
    progress: Progress | None = None,
) -> int:
    stock = stock_named(config.labels, stock_name)
    batch = label_service.plan(label_service.select_folders(selection, everything))
    written = write_sheets(
        label_service.contents(batch, progress),
        path,
        stock,
        dpi=config.labels.dpi,
        start=start,
        offset_mm=config.labels.offset_mm,
    )
    try:
        label_service.record_prints(batch, f"pdf {stock.name} {path}")
    except BaseException:
        path.unlink(missing_ok=True)  # labels that are not recorded must not be printed
        raise
    return written


def print_thermal(
    config: Config,
    selection: Selection,
    target: str,
    *,
    everything: bool = False,
    rfid: bool | None = None,
    progress: Progress | None = None,
) -> int:
    """Send ZPL to a printer (tcp://…, serial://…) or write it to a file."""
    rfid = config.labels.rfid if rfid is None else rfid
    epc_for = _epc_source(config) if rfid else None
    batch = label_service.plan(label_service.select_folders(selection, everything), epc_for)
    data = _zpl_stream(config.labels, batch, progress)
    if "://" in target:
        try:
            printer.send(target, data)
        except printer.PrinterError as e:
            raise VaultError(str(e)) from None
    else:
        _write_file(Path(target), data)
    label_service.record_prints(batch, f"zpl {target}")
    return len(batch)


def _epc_source(config: Config):
    if not config.gs1_company_prefix:
        raise VaultError(
            f"{config.path}: set gs1_company_prefix to write RFID tags (the archive's GS1 "
            "company prefix)"
        )

    def epc_for(folder: Folder) -> str:
        if folder.rfid_epc:
            return folder.rfid_epc
        return epc_codec.encode_giai96(config.gs1_company_prefix, folder.id)

    return epc_for


def _zpl_stream(
    config: LabelsConfig, batch: list[Planned], progress: Progress | None
) -> Iterator[bytes]:
    width, height = config.thermal_size_mm
    for done, item in enumerate(batch, start=1):
        image = render_label(item.content, width, height, config.thermal_dpi)
        yield zpl.label_zpl(image, epc=item.epc)
        if progress is not None:
            progress(done, len(batch))


def _write_file(path: Path, data: Iterator[bytes]) -> None:
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temp, "wb") as f:
            for chunk in data:
                f.write(chunk)
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def preview(
    config: Config, code: str, path: Path, *, stock_name: str | None = None, thermal: bool = False
) -> Path:
    """A PNG of the label a reprint would produce next; nothing is recorded."""
    folder = Folder.get_or_none(Folder.code == code)
    if folder is None:
        raise VaultError(f"not registered: {code}")
    content = label_service.content_for(folder, folder.label_generation + 1)
    if thermal:
        (width, height), dpi = config.labels.thermal_size_mm, config.labels.thermal_dpi
    else:
        stock = stock_named(config.labels, stock_name)
        width, height, dpi = stock.label_width, stock.label_height, config.labels.dpi
    image = render_label(content, width, height, dpi)
    image.save(path, dpi=(dpi, dpi))
    return path
