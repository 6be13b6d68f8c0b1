"""labels: folder -> printed label. ZPL for Zebra thermal printers, read back as a printer would.

Real labels are rendered at 203 and 300 dpi (600 for the banded case), turned into ZPL, and
parsed back by tests/zpl_decode.py, a reader written separately from the ZPL II manual. The
printed dots must equal the rendered label dot for dot; the Code 128 symbol must decode with
zxing-cpp, also after the wear of a tired printer (tests/degrade.py); ^PW/^LL must be the
label's size in dots, and the RFID write must carry the folder's GIAI-96 EPC.
"""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image, ImageChops

from labels import LabelContent, render_label
from labels.epc import decode_giai96, encode_giai96
from labels.zpl import MAX_FIELD_BYTES, label_zpl, write_zpl
from tests.degrade import Wear, degrade
from tests.zpl_decode import ZplError, crc16_ccitt_zero, decode_gfa, decode_labels

pytestmark = pytest.mark.no_database  # ZPL rendering only: run once, not per database

ARCHIVE_PREFIX = "0614141"  # a GS1 company prefix with a leading zero
THERMAL_4X2 = (101.6, 50.8)  # the common 4 x 2 inch thermal label
SMALL = (63.5, 38.1)
ENCODINGS = ["z64", "acs"]

# (code, label size): the long code with its label generation needs the 4-inch label.
FOLDERS = [
    (
        "WC-TJ-2002-0137+2",
        THERMAL_4X2,
        "2002年全县农业普查汇总表（第137卷）乡镇分册、统计说明",
        True,
    ),
    ("WC-TJ-2002-0138", SMALL, "2002年全县农业普查汇总表", False),
    ("A-1", SMALL, "会议纪要", False),
]


def folder(code: str, title: str, classified: bool) -> LabelContent:
    marking = "机密★ 30年" if classified else "内部"
    return LabelContent(
        code=code, title=title, marking=marking, classified=classified, location="A-03-02"
    )


def code128(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
    return [result.text for result in found]


def same_dots(a: Image.Image, b: Image.Image) -> bool:
    return (
        a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
    )


Rendered = dict[tuple[str, int], Image.Image]


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return {
        (code, dpi): render_label(folder(code, title, classified), *size, dpi)
        for code, size, title, classified in FOLDERS
        for dpi in (203, 300)
    }


CASES = [(code, dpi) for code, *_ in FOLDERS for dpi in (203, 300)]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(("code", "dpi"), CASES)
def test_printed_dots_equal_the_rendered_label(
    rendered: Rendered, code: str, dpi: int, encoding: str
) -> None:
    image = rendered[code, dpi]
    zpl = label_zpl(image, encoding=encoding)
    [label] = decode_labels(zpl)
    assert (label.width, label.length) == image.size  # ^PW and ^LL in dots
    assert label.copies == 1 and label.rfid_writes == [] and label.rfid_setup == []
    assert len(label.graphics) == 1 and label.graphics[0][:2] == (0, 0)
    printed = label.image()
    assert same_dots(printed, image)
    assert code128(printed) == [code]


@pytest.mark.parametrize(("code", "dpi"), CASES)
def test_barcode_reads_after_printer_wear(rendered: Rendered, code: str, dpi: int) -> None:
    [printed] = decode_gfa(label_zpl(rendered[code, dpi]))
    for seed, angle in enumerate([2.0, 3.0, 4.0, 2.5, 3.5]):
        worn = degrade(printed, Wear(angle=angle), seed=seed)
        assert code128(worn) == [code], f"seed {seed}, {angle} degrees"


def test_heavy_wear_defeats_the_decoder(rendered: Rendered) -> None:
    """The wear model bites: a printer far worse than the one above makes labels unreadable."""
    printed = rendered["WC-TJ-2002-0138", 203]
    for seed in range(3):
        assert code128(degrade(printed, Wear(blur_dots=3.0), seed=seed)) == []
        assert code128(degrade(printed, Wear(speckle=0.15, dropout=0.3), seed=seed)) == []


def test_rfid_label_writes_the_folders_epc(rendered: Rendered) -> None:
    epc = encode_giai96(ARCHIVE_PREFIX, 20020137, filter_value=0)
    zpl = label_zpl(rendered["WC-TJ-2002-0138", 300], epc=epc.lower())
    [label] = decode_labels(zpl)
    assert label.rfid_setup == ["8"]  # tag type 8: EPC Class 1 Generation 2
    assert label.rfid_writes == [("W,H", epc)]  # write, hex data, default bank: the EPC
    identity = decode_giai96(label.rfid_writes[0][1])
    assert identity.pure_identity_uri == "urn:epc:id:giai:0614141.20020137"
    assert zpl.index(b"^RFW,H") < zpl.index(b"^GFA")  # tag written in the same format
    assert same_dots(label.image(), rendered["WC-TJ-2002-0138", 300])


@pytest.mark.parametrize("epc", ["3474257BF400000000BC60", "3474257BF400000000BC603X", 7])
def test_rfid_label_refuses_a_malformed_epc(rendered: Rendered, epc: object) -> None:
    with pytest.raises(ValueError, match="24 hex digits"):
        label_zpl(rendered["A-1", 203], epc=epc)


def test_rfid_label_refuses_copies_sharing_one_epc(rendered: Rendered) -> None:
    with pytest.raises(ValueError, match="cannot tell apart"):
        label_zpl(rendered["A-1", 203], epc=encode_giai96(ARCHIVE_PREFIX, 1), copies=2)


def test_plain_label_copies(rendered: Rendered) -> None:
    [label] = decode_labels(label_zpl(rendered["A-1", 203], copies=3))
    assert label.copies == 3


def test_only_one_bit_images_are_accepted(rendered: Rendered) -> None:
    with pytest.raises(ValueError, match="mode '1'"):
        label_zpl(rendered["A-1", 203].convert("L"))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_600_dpi_label_is_sent_in_bands_under_the_field_limit(encoding: str) -> None:
    image = render_label(folder("WC-TJ-2002-0137+2", "档案移交清单", True), *THERMAL_4X2, 600)
    [label] = decode_labels(label_zpl(image, encoding=encoding))
    assert len(label.graphics) > 1
    tops = [y for _, y, _ in label.graphics]
    heights = [graphic.height for *_, graphic in label.graphics]
    assert tops == [sum(heights[:i]) for i in range(len(heights))]  # stacked, no gaps
    assert all(g.width // 8 * g.height <= MAX_FIELD_BYTES for *_, g in label.graphics)
    assert same_dots(label.image(), image)
    assert code128(label.image()) == ["WC-TJ-2002-0137+2"]


def test_z64_is_compact_and_its_crc_is_checked(rendered: Rendered) -> None:
    image = rendered["WC-TJ-2002-0137+2", 300]
    zpl = label_zpl(image)
    plain_hex = (image.width + 7) // 8 * image.height * 2
    assert b":Z64:" in zpl and len(zpl) * 5 < plain_hex
    start = zpl.index(b":Z64:") + 5
    tampered = zpl[:start] + (b"B" if zpl[start : start + 1] != b"B" else b"C") + zpl[start + 1 :]
    with pytest.raises(ZplError, match="CRC"):
        decode_labels(tampered)


def test_the_decoders_crc_is_the_catalogued_ccitt_zero_variant() -> None:
    assert crc16_ccitt_zero(b"123456789") == 0x31C3  # CRC-16/XMODEM check value


def test_ascii_compression_uses_repeat_counts_and_row_marks() -> None:
    image = Image.new("1", (2000, 4), 1)  # 250 bytes a row
    image.paste(0, (0, 1, 2000, 2))  # an all-black row
    image.paste(0, (0, 3, 1712, 4))  # 214 black bytes, then white
    zpl = label_zpl(image, encoding="acs").decode()
    data = zpl.split("^GFA,1000,1000,250,")[1].split("^FS")[0]
    assert data == ",!,zgNF,"  # white, black, white; 428 = 400 + 20 + 8 "F" digits, white
    assert same_dots(decode_gfa(zpl.encode())[0], image)


def test_a_batch_streams_as_consecutive_formats(rendered: Rendered) -> None:
    images = [rendered[code, 203] for code, *_ in FOLDERS]
    epcs = [encode_giai96(ARCHIVE_PREFIX, n) for n in range(len(images))]
    out = io.BytesIO()
    assert write_zpl(zip(images, epcs, strict=True), out) == len(images)
    labels = decode_labels(out.getvalue())
    assert [label.rfid_writes[0][1] for label in labels] == epcs
    for label, image in zip(labels, images, strict=True):
        assert same_dots(label.image(), image)
