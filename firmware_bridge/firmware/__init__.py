"""Firmware for a home-built gate reader (MicroPython): main.py drives the hardware,
vaultlink.py frames Vault's line protocol and also runs under CPython for the bridge's tests
and simulator. Copy both files to the board; see README.md here."""
