"""labels.epc against the GS1 EPC Tag Data Standard (TDS): GIAI-96 encoding and decoding.

The TDS gives the GIAI example urn:epc:id:giai:0614141.12345400 (EPC URI section, GIAI) with
its GS1 element string (8004)061414112345400, the GIAI-96 coding table (header 00110100,
3-bit filter, 3-bit partition, prefix and asset reference) and the GIAI-96 partition table.
The TDS prints no binary GIAI-96 example, so the hex here is built bit by bit from that table
in the test itself, and cross-checked with published test vectors of public EPC libraries:
dannyhaak/TagDataTranslation (a GS1 TDT engine), awelxtr/epcGS1coder and the documentation
of the epc-encoding-utils package.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labels.epc import Giai96, decode_giai96, encode_giai96, is_giai96

TDS_PREFIX, TDS_REFERENCE = "0614141", 12345400  # the TDS GIAI example
TDS_PURE_URI = "urn:epc:id:giai:0614141.12345400"
TDS_ELEMENT_STRING = "(8004)061414112345400"

# TDS GIAI-96 partition table: prefix digits L -> (partition P, prefix bits M, reference bits N)
PARTITION_TABLE = {
    12: (0, 40, 42),
    11: (1, 37, 45),
    10: (2, 34, 48),
    9: (3, 30, 52),
    8: (4, 27, 55),
    7: (5, 24, 58),
    6: (6, 20, 62),
}


def bits_to_hex(bits: str) -> str:
    assert len(bits) == 96
    return "".join(f"{int(bits[i : i + 4], 2):X}" for i in range(0, 96, 4))


def tds_layout(prefix: str, reference: int, filter_value: int) -> str:
    """The 96 bits laid out field by field as the TDS GIAI-96 coding table draws them."""
    partition, prefix_bits, reference_bits = PARTITION_TABLE[len(prefix)]
    return bits_to_hex(
        "00110100"
        + format(filter_value, "03b")
        + format(partition, "03b")
        + format(int(prefix), f"0{prefix_bits}b")
        + format(reference, f"0{reference_bits}b")
    )


# --- the published example ----------------------------------------------------------------


@pytest.mark.parametrize("filter_value", [0, 1, 3, 7])
def test_the_tds_giai_example_encodes_field_by_field(filter_value: int) -> None:
    hex_epc = encode_giai96(TDS_PREFIX, TDS_REFERENCE, filter_value)
    assert hex_epc == tds_layout(TDS_PREFIX, TDS_REFERENCE, filter_value)
    assert len(hex_epc) == 24 and hex_epc == hex_epc.upper()


def test_the_tds_giai_example_as_hex_uris_and_element_string() -> None:
    hex_epc = encode_giai96(TDS_PREFIX, TDS_REFERENCE, 3)
    assert hex_epc == "3474257BF400000000BC6038"
    decoded = decode_giai96(hex_epc)
    assert decoded == Giai96(TDS_PREFIX, TDS_REFERENCE, 3)
    assert decoded.pure_identity_uri == TDS_PURE_URI
    assert decoded.tag_uri == "urn:epc:tag:giai-96:3.0614141.12345400"
    assert decoded.element_string == TDS_ELEMENT_STRING
    assert decoded.hex == hex_epc


@pytest.mark.parametrize(
    ("hex_epc", "tag_uri"),
    [
        # dannyhaak/TagDataTranslation, GIAI-96 test with the TDS company prefix
        ("3474257BF40000000000162E", "urn:epc:tag:giai-96:3.0614141.5678"),
        # awelxtr/epcGS1coder, Giai96Test: a 6-digit prefix with its leading zero
        ("341816E80000000000010015", "urn:epc:tag:giai-96:0.023456.65557"),
        # epc-encoding-utils documentation: GIAI(epc='0x341401388000000000000001')
        ("341401388000000000000001", "urn:epc:tag:giai-96:0.0020000.1"),
    ],
)
def test_public_library_vectors(hex_epc: str, tag_uri: str) -> None:
    decoded = decode_giai96(hex_epc)
    assert decoded.tag_uri == tag_uri
    filter_value, prefix, reference = tag_uri.rsplit(":", 1)[1].split(".")
    assert encode_giai96(prefix, int(reference), int(filter_value)) == hex_epc


def test_decoding_accepts_lower_case_hex_from_readers() -> None:
    assert decode_giai96("3474257bf400000000bc6038").pure_identity_uri == TDS_PURE_URI


# --- the partition table --------------------------------------------------------------------


@pytest.mark.parametrize("digits", sorted(PARTITION_TABLE))
def test_partition_table_limits(digits: int) -> None:
    partition, _, reference_bits = PARTITION_TABLE[digits]
    prefix = "0" * (digits - 1) + "9"
    largest = (1 << reference_bits) - 1
    hex_epc = encode_giai96(prefix, largest)
    assert int(hex_epc, 16) >> 82 & 0b111 == partition
    assert decode_giai96(hex_epc) == Giai96(prefix, largest, 0)
    with pytest.raises(ValueError, match="too large"):
        encode_giai96(prefix, largest + 1)


def test_largest_prefix_of_each_length_keeps_its_digits() -> None:
    for digits in PARTITION_TABLE:
        prefix = "9" * digits
        assert decode_giai96(encode_giai96(prefix, 0)).company_prefix == prefix


# --- round trips ----------------------------------------------------------------------------


@st.composite
def giai(draw: st.DrawFn) -> tuple[str, int, int]:
    digits = draw(st.integers(6, 12))
    prefix = draw(st.text("0123456789", min_size=digits, max_size=digits))
    reference_bits = PARTITION_TABLE[digits][2]
    reference = draw(st.integers(0, (1 << reference_bits) - 1))
    return prefix, reference, draw(st.integers(0, 7))


@given(giai())
def test_round_trip(case: tuple[str, int, int]) -> None:
    prefix, reference, filter_value = case
    hex_epc = encode_giai96(prefix, reference, filter_value)
    assert hex_epc == tds_layout(prefix, reference, filter_value)
    assert decode_giai96(hex_epc) == Giai96(prefix, reference, filter_value)
    assert encode_giai96(prefix, str(reference), filter_value) == hex_epc
    assert is_giai96(hex_epc)


@given(st.integers(0, (1 << 88) - 1))
def test_any_giai96_bits_decode_to_the_same_bits_or_are_refused(rest: int) -> None:
    hex_epc = f"{0x34 << 88 | rest:024X}"
    try:
        decoded = decode_giai96(hex_epc)
    except ValueError as error:  # partition 7, or a prefix with more digits than allowed
        assert "partition value 7" in str(error) or "digits its partition" in str(error)
    else:
        assert decoded.hex == hex_epc


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["12345", "1234567890123", "06141a1", "", " 614141", 614141])
def test_company_prefix_must_be_6_to_12_digits(prefix: object) -> None:
    with pytest.raises(ValueError, match="company prefix must be 6 to 12 digits"):
        encode_giai96(prefix, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize("reference", ["012", "00", "12a", "", "-1", -1, 1.0, True])
def test_asset_reference_must_be_a_plain_integer(reference: object) -> None:
    with pytest.raises(ValueError, match="[Aa]sset reference"):
        encode_giai96(TDS_PREFIX, reference)  # type: ignore[arg-type]


def test_asset_reference_too_large_names_the_limit() -> None:
    with pytest.raises(ValueError, match=r"at most 288230376151711743 \(58 bits\)"):
        encode_giai96(TDS_PREFIX, 1 << 58)


@pytest.mark.parametrize("filter_value", [-1, 8, "3", None])
def test_filter_value_is_three_bits(filter_value: object) -> None:
    with pytest.raises(ValueError, match="filter value"):
        encode_giai96(TDS_PREFIX, 1, filter_value)  # type: ignore[arg-type]


def test_wrong_header_is_named() -> None:
    sgtin_96 = "3074257BF7194E4000001A85"  # the TDS SGTIN-96 example
    with pytest.raises(ValueError, match="header is 0x30, GIAI-96 has 0x34"):
        decode_giai96(sgtin_96)
    assert not is_giai96(sgtin_96)


@pytest.mark.parametrize("hex_epc", ["3474257BF400000000BC60", "3474257BF400000000BC603800", ""])
def test_wrong_length_is_named(hex_epc: str) -> None:
    with pytest.raises(ValueError, match="24 hex digits"):
        decode_giai96(hex_epc)
    assert not is_giai96(hex_epc)


def test_non_hex_is_refused() -> None:
    with pytest.raises(ValueError, match="hexadecimal"):
        decode_giai96("3474257BF400000000BC603G")


def test_partition_seven_is_refused() -> None:
    bits = "00110100" + "000" + "111" + "0" * 82
    with pytest.raises(ValueError, match="partition value 7"):
        decode_giai96(bits_to_hex(bits))


def test_prefix_field_beyond_its_digits_is_refused() -> None:
    # partition 6: 20 bits hold up to 1048575, but only 6 digits (999999) are a prefix
    bits = "00110100" + "000" + "110" + format(999_999 + 1, "020b") + "0" * 62
    with pytest.raises(ValueError, match="more than the 6 digits"):
        decode_giai96(bits_to_hex(bits))
