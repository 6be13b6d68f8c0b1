"""The checksums the readers use, computed from tables or C routines, never bit by bit: a
bridge passes tens of thousands of frames a second through these.

- CRC-16/MCRF4XX (poly 0x8408 reflected, preset 0xFFFF, no final xor): Chafon readers.
- CRC-16/GENIBUS (poly 0x1021, preset 0xFFFF, inverted): the EPC Gen2 CRC a tag sends over
  PC + EPC, which M100 modules pass on.
- CRC-16/CCITT-FALSE (poly 0x1021, preset 0xFFFF, no final xor): Vault's own line protocol.
- 16-bit two's complement of the byte sum: Zebra/Symbol SSI.
"""

from __future__ import annotations

from binascii import crc_hqx


def _reflected_table(poly: int) -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_MCRF4XX = _reflected_table(0x8408)


def crc16_mcrf4xx(data: bytes | bytearray | memoryview) -> int:
    """Chafon's CRC. Over a whole frame, CRC bytes included (LSB first), it comes out 0."""
    crc = 0xFFFF
    table = _MCRF4XX
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def crc16_gen2(data: bytes | bytearray | memoryview) -> int:
    """The CRC an EPC Gen2 tag sends over its PC and EPC."""
    return crc_hqx(data, 0xFFFF) ^ 0xFFFF


def crc16_ccitt_false(data: bytes | bytearray | memoryview) -> int:
    """Vault line protocol CRC; check value for b"123456789" is 0x29B1."""
    return crc_hqx(data, 0xFFFF)


def ssi_checksum(data: bytes | bytearray | memoryview) -> int:
    """SSI: two's complement of the 16-bit sum of every byte before the checksum."""
    return -sum(data) & 0xFFFF
