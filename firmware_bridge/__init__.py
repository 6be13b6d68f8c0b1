"""Serial devices: protocol drivers (bytes in, reads out), the station loop that owns each
port, the bridge that runs every station, and simulators that play devices on pseudo-terminals.

Nothing here knows about folders or the database: the bridge hands each decoded read to a
callback, which `vault bridge` points at the custody service.
"""
