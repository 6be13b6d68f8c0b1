"""labels: folder -> printed label. The identity written into a label's RFID tag.

An RFID folder label carries a GS1 GIAI-96 EPC (Global Individual Asset Identifier, 96-bit
binary encoding) so that the readers at the archive doors and the shelf scanners see each folder
as one individual asset of the archive's GS1 company prefix. Encoding and decoding follow the
GS1 EPC Tag Data Standard (TDS), GIAI-96 coding table and its "unpadded partition" method:

    bits   8        3        3           M                    N          (96 in all)
           header   filter   partition   company prefix       individual asset reference
           0x34     0..7     0..6        L digits, as integer integer, no leading zeros

The partition value P fixes how the 82 bits after the partition are split between the company
prefix (L digits in M bits) and the asset reference (N bits); see PARTITIONS. Decoding restores
the prefix's leading zeros from L, so "0614141" survives the round trip.

Pure functions on strings and integers: the printer module writes the hex into the tag, the
readers hand the hex they see back to decode_giai96.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER = 0x34
EPC_BITS = 96
EPC_HEX_DIGITS = EPC_BITS // 4
# TDS partition table for GIAI-96: P -> (company prefix bits M, digits L, asset reference bits N).
PARTITIONS = {
    0: (40, 12, 42),
    1: (37, 11, 45),
    2: (34, 10, 48),
    3: (30, 9, 52),
    4: (27, 8, 55),
    5: (24, 7, 58),
    6: (20, 6, 62),
}
_PARTITION_BY_DIGITS = {digits: p for p, (_, digits, _) in PARTITIONS.items()}
_HEX = re.compile(r"[0-9A-Fa-f]*")


@dataclass(frozen=True)
class Giai96:
    """A decoded GIAI-96 tag: the folder's asset identity plus the tag's filter value."""

    company_prefix: str  # GS1 company prefix with its leading zeros, 6 to 12 digits
    asset_reference: int  # individual asset reference assigned by the archive
    filter_value: int  # 0 "all others"; 1 is rail vehicles; 2-7 reserved by GS1

    @property
    def pure_identity_uri(self) -> str:
        """The identity without tag details: what custody records and EPCIS events name."""
        return f"urn:epc:id:giai:{self.company_prefix}.{self.asset_reference}"

    @property
    def tag_uri(self) -> str:
        """The identity plus filter and encoding: everything needed to write the same tag."""
        return (
            f"urn:epc:tag:giai-96:{self.filter_value}.{self.company_prefix}.{self.asset_reference}"
        )

    @property
    def element_string(self) -> str:
        """The same GIAI as a GS1 element string, as printed under a GS1-128 barcode."""
        return f"(8004){self.company_prefix}{self.asset_reference}"

    @property
    def hex(self) -> str:
        return encode_giai96(self.company_prefix, self.asset_reference, self.filter_value)


def encode_giai96(company_prefix: str, asset_reference: int | str, filter_value: int = 0) -> str:
    """The 96-bit EPC as 24 upper-case hex digits, ready for the tag's EPC memory bank."""
    partition = _partition_for(company_prefix)
    prefix_bits, _, reference_bits = PARTITIONS[partition]
    reference = _asset_reference(asset_reference)
    if reference >= 1 << reference_bits:
        raise ValueError(
            f"Asset reference {reference} is too large for GIAI-96 with a "
            f"{len(company_prefix)}-digit company prefix: at most {(1 << reference_bits) - 1} "
            f"({reference_bits} bits)."
        )
    if isinstance(filter_value, bool) or not isinstance(filter_value, int):
        raise ValueError(f"GIAI-96 filter value must be an integer 0-7, not {filter_value!r}.")
    if not 0 <= filter_value <= 7:
        raise ValueError(f"GIAI-96 filter value must be 0-7, not {filter_value}.")
    value = HEADER
    for field, width in ((filter_value, 3), (partition, 3), (int(company_prefix), prefix_bits)):
        value = value << width | field
    value = value << reference_bits | reference
    return f"{value:0{EPC_HEX_DIGITS}X}"


def decode_giai96(hex_epc: str) -> Giai96:
    """Read the identity back from the EPC hex a reader reports (either letter case)."""
    value = _epc_value(hex_epc)
    header = value >> 88
    if header != HEADER:
        raise ValueError(
            f"EPC {hex_epc} is not GIAI-96: its header is 0x{header:02X}, GIAI-96 has 0x34."
        )
    filter_value = value >> 85 & 0b111
    partition = value >> 82 & 0b111
    if partition not in PARTITIONS:
        raise ValueError(f"EPC {hex_epc} has partition value {partition}; GIAI-96 uses 0-6.")
    prefix_bits, digits, reference_bits = PARTITIONS[partition]
    prefix = value >> reference_bits & ((1 << prefix_bits) - 1)
    if prefix >= 10**digits:
        raise ValueError(
            f"EPC {hex_epc} holds company prefix {prefix}, more than the {digits} digits "
            f"its partition value {partition} allows."
        )
    reference = value & ((1 << reference_bits) - 1)
    return Giai96(f"{prefix:0{digits}d}", reference, filter_value)


def is_giai96(hex_epc: str) -> bool:
    """True when the hex is a well-formed GIAI-96 EPC (used to tell folder tags from others)."""
    try:
        decode_giai96(hex_epc)
    except ValueError:
        return False
    return True


def _partition_for(company_prefix: str) -> int:
    if not isinstance(company_prefix, str) or not re.fullmatch(r"[0-9]{6,12}", company_prefix):
        raise ValueError(
            f"GS1 company prefix must be 6 to 12 digits (leading zeros kept), "
            f"not {company_prefix!r}."
        )
    return _PARTITION_BY_DIGITS[len(company_prefix)]


def _asset_reference(asset_reference: int | str) -> int:
    """The reference as an integer; as text it may not have leading zeros (TDS forbids them,
    because the binary field cannot keep them and the decoded identity would differ)."""
    if isinstance(asset_reference, bool):
        raise ValueError(f"Asset reference must be a number, not {asset_reference!r}.")
    if isinstance(asset_reference, int):
        if asset_reference < 0:
            raise ValueError(f"Asset reference cannot be negative ({asset_reference}).")
        return asset_reference
    if not isinstance(asset_reference, str) or not re.fullmatch(r"0|[1-9][0-9]*", asset_reference):
        raise ValueError(
            f"GIAI-96 asset reference must be digits without leading zeros, "
            f"not {asset_reference!r}."
        )
    return int(asset_reference)


def _epc_value(hex_epc: str) -> int:
    if not isinstance(hex_epc, str) or not _HEX.fullmatch(hex_epc):
        raise ValueError(f"EPC must be hexadecimal digits, not {hex_epc!r}.")
    if len(hex_epc) != EPC_HEX_DIGITS:
        raise ValueError(
            f"A GIAI-96 EPC is {EPC_HEX_DIGITS} hex digits (96 bits); {hex_epc!r} has "
            f"{len(hex_epc)}."
        )
    return int(hex_epc, 16)
