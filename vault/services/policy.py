"""The archive's approval policy (`[approvals]` in the configuration), set once at start.

Recording a read needs it (does the request cover the folder?) on every path that records one:
the bridge, the desk page, the command line. Like the site's time zone (`vault.services.clock`),
it is set where the configuration is loaded and read here, rather than passed through every
call between the configuration and the rules.
"""

from __future__ import annotations

from vault.domain.approvals import Policy

_policy = Policy()


def set_policy(policy: Policy) -> None:
    global _policy
    _policy = policy


def current() -> Policy:
    return _policy
