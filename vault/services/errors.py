"""The error every service raises when it refuses: its message is for the person at the desk."""


class VaultError(Exception):
    """A refusal or a problem worded for the archivist, guard or administrator."""
