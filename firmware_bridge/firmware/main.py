"""Gate reader firmware (MicroPython, RP2040 such as a Raspberry Pi Pico, or ESP32).

A 125 kHz RDM6300 or a UHF M100/R200 module on one UART; Vault's line protocol to the bridge
over USB serial or a second UART: a hello at power-up, a read when a tag arrives, and a
heartbeat every HEARTBEAT_S seconds so the bridge sees a gate that has died. A watchdog
restarts a hung gate, which then says hello again.

Edit the settings below, then copy this file and vaultlink.py to the board, e.g.
    mpremote cp firmware_bridge/firmware/vaultlink.py firmware_bridge/firmware/main.py :
"""

import sys
import time

import machine
import vaultlink

DEVICE = "gate-1"  # the name the bridge sees; letters, digits, "-", "_", "."
FIRMWARE = "vaultgate-1.0"
READER = "rdm6300"  # "rdm6300" (125 kHz EM4100) or "m100" (UHF)
READER_UART = 1
READER_PINS = (4, 5)  # TX, RX: GP4/GP5 on a Pico; on an ESP32 e.g. (17, 16)
HOST_UART = None  # None: USB serial; or (uart id, tx pin, rx pin, baud)
HEARTBEAT_S = 5
HOLD_MS = 1000  # a tag still in the field is not reported again until gone this long
COPIES = 1  # send each read this many times under one number, on a noisy host link
M100_REPOLL_S = 60  # tell the M100 to keep polling before its 65535 rounds run out
WATCHDOG_MS = 8000
BAUD = {"rdm6300": 9600, "m100": 115200}


def open_reader():
    tx, rx = READER_PINS
    return machine.UART(READER_UART, baudrate=BAUD[READER], tx=machine.Pin(tx), rx=machine.Pin(rx))


def host_write():
    """The function that sends bytes to the bridge."""
    if HOST_UART is None:
        return getattr(sys.stdout, "buffer", sys.stdout).write
    uart_id, tx, rx, baud = HOST_UART
    return machine.UART(uart_id, baudrate=baud, tx=machine.Pin(tx), rx=machine.Pin(rx)).write


def main():
    watchdog = machine.WDT(timeout=WATCHDOG_MS)
    reader = open_reader()
    parser = vaultlink.M100Parser() if READER == "m100" else vaultlink.Rdm6300Parser()
    kind = vaultlink.EPC if READER == "m100" else vaultlink.EM
    link = vaultlink.Link(DEVICE, host_write(), FIRMWARE, READER, HEARTBEAT_S)
    repeats = vaultlink.RepeatFilter(HOLD_MS, time.ticks_diff)
    link.hello()
    uptime_s = 0
    last_beat = last_poll = time.ticks_ms()
    if READER == "m100":
        reader.write(vaultlink.M100_MULTIPLE_POLL)
    while True:
        watchdog.feed()
        now = time.ticks_ms()
        if reader.any():
            for code, rssi in parser.feed(reader.read()):
                if repeats.accept(code, now):
                    link.read(kind, code, rssi, None, COPIES)
        if time.ticks_diff(now, last_beat) >= HEARTBEAT_S * 1000:
            uptime_s += HEARTBEAT_S
            link.heartbeat(uptime_s)
            last_beat = now
        if READER == "m100" and time.ticks_diff(now, last_poll) >= M100_REPOLL_S * 1000:
            reader.write(vaultlink.M100_MULTIPLE_POLL)
            last_poll = now
        time.sleep_ms(5)


main()
