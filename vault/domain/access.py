"""Who may open what: the roles of DESIGN.md and the table of pages each role may use.

Every web route has a name, and this table is the only place that says which roles may call
it. A name missing from the table is denied to everyone, so a page added without an entry
cannot be opened until someone decides who may use it. A new page is one new line, usually
with one of the role groups below: the archivist's desk `"desk": DESK`, the register
`"register": REGISTER`, a folder's page `"folder": READERS_OF_RECORDS`, approvals
`"approvals": APPROVERS`, the administrator's pages `"admin_users": ADMINISTRATORS`, the alarm
history `"alarm_history": ALARM_READERS`.

Also here: how long repeated failed sign-ins are held back (plain numbers, no clock inside).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ARCHIVIST = "archivist"  # registers, labels, issues and takes back folders
    SECURITY = "security"  # watches the alarm board and answers alarms
    LEADER = "leader"  # approves requests and destructions
    ADMINISTRATOR = "administrator"  # stations, users, templates; reads everything
    KIOSK = "kiosk"  # the guard-room screen: only watches the board and acknowledges


ALL_ROLES = frozenset(Role)
STAFF = ALL_ROLES - {Role.KIOSK}  # people who sign in with a password
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
# The alarm board: the guard room (a person or the wall screen) and the administrator.
ALARM_WATCHERS = frozenset({Role.SECURITY, Role.KIOSK, Role.ADMINISTRATOR})
ALARM_READERS = frozenset({Role.SECURITY, Role.ADMINISTRATOR})  # data, not the live screen
# Groups for pages still to come; the administrator reads everything but changes only its own.
DESK = frozenset({Role.ARCHIVIST})
REGISTER = frozenset({Role.ARCHIVIST, Role.LEADER, Role.ADMINISTRATOR})
APPROVERS = frozenset({Role.LEADER})
READERS_OF_RECORDS = frozenset({Role.ARCHIVIST, Role.LEADER, Role.ADMINISTRATOR})
DESK_WATCHERS = DESK | ADMINISTRATORS  # the administrator may watch the desk, not scan
# A folder's page also for security: answering an alarm starts with who had the folder last.
# The search, the lists and their exports stay with the register's roles.
FOLDER_READERS = READERS_OF_RECORDS | {Role.SECURITY}
# Holds are placed by the archivist who learns of an investigation, or by a leader.
HOLDERS = frozenset({Role.ARCHIVIST, Role.LEADER})
# Closing time and alarm figures concern the guard room as much as the archive.
WATCH_REPORTERS = READERS_OF_RECORDS | {Role.SECURITY}

# Anyone may open these, signed in or not: the sign-in forms and the style sheet and scripts.
PUBLIC_ROUTES = frozenset({"static", "signin", "signin_submit", "kiosk_link", "kiosk_link_submit"})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "home": STAFF,  # a list of the pages the role may open
    "signout": STAFF,  # the wall screen is ended by an administrator, not from the room
    "account_language": STAFF,  # a person's own page language; a screen's is set by its account
    "alarm_board": ALARM_WATCHERS,
    "alarm_ack": ALARM_WATCHERS,
    "alarm_events": ALARM_WATCHERS,
    "api_alarms": ALARM_READERS,
    "alarm_history": ALARM_READERS,  # acknowledged alarms, and their CSV export
    "desk": DESK_WATCHERS,
    "desk_events": DESK_WATCHERS,  # the desk's serial scans, live
    "desk_scan": DESK,
    "register_search": REGISTER,  # the search, and its CSV export
    "register_outside": REGISTER,
    "register_overdue": REGISTER,
    "folder": FOLDER_READERS,
    "admin": ADMINISTRATORS,  # the configuration as read at start, with stations' live health
    "api_admin_stations": ADMINISTRATORS,
    "admin_users": ADMINISTRATORS,
    "admin_user_add": ADMINISTRATORS,
    "admin_user_password": ADMINISTRATORS,
    "admin_user_disable": ADMINISTRATORS,
    "admin_kiosk_link": ADMINISTRATORS,  # a guard-room screen's one-time sign-in link
    # Requests and approvals: the archivist records them (and a visitor's letter), leaders decide.
    "requests": READERS_OF_RECORDS,
    "request_new": DESK,
    "request_create": DESK,
    "request": READERS_OF_RECORDS,
    "request_approve": APPROVERS,
    "request_withdraw": DESK,
    # Stocktakes: the archivist counts; the reconciliation (page, CSV, PDF) is for the records.
    "stocktakes": READERS_OF_RECORDS,
    "stocktake_open": DESK,
    "stocktake": READERS_OF_RECORDS,
    "stocktake_scan": DESK,
    "stocktake_explain": DESK,
    "stocktake_close": DESK,
    # Retention, holds and destruction: the leading group approves, the archivist does the rest.
    "appraisal_due": READERS_OF_RECORDS,
    "holds": READERS_OF_RECORDS,
    "hold_place": HOLDERS,
    "hold_lift": HOLDERS,
    "destructions": READERS_OF_RECORDS,
    "destruction_new": DESK,
    "destruction": READERS_OF_RECORDS,
    "destruction_edit": DESK,
    "destruction_approve": APPROVERS,
    "destruction_confirm": DESK,
    "destruction_certificate": READERS_OF_RECORDS,
    # Statistical data released to outside units.
    "releases": READERS_OF_RECORDS,
    "release_create": DESK,
    # Reports: each a page with its CSV and PDF.
    "reports": WATCH_REPORTERS,
    "report_folder": READERS_OF_RECORDS,
    "report_person": READERS_OF_RECORDS,
    "report_day": READERS_OF_RECORDS,
    "report_classified_holders": READERS_OF_RECORDS,
    "report_classified_places": READERS_OF_RECORDS,
    "report_statistics": WATCH_REPORTERS,
    "report_closing": WATCH_REPORTERS,
}


def is_public(route_name: str | None) -> bool:
    return route_name in PUBLIC_ROUTES


def is_known(route_name: str | None) -> bool:
    """Whether someone decided who may use this route (public, or an entry in the table)."""
    return route_name in PUBLIC_ROUTES or route_name in PERMISSIONS


def allowed(role: str | None, route_name: str | None) -> bool:
    """May a visitor with this role (None: not signed in) call the route? Unknown: no."""
    if is_public(route_name):
        return True
    if role is None or route_name is None:
        return False
    return role in PERMISSIONS.get(route_name, frozenset())


# Failed sign-ins: counted per username and per address over a window; past the threshold each
# further attempt waits, and the account (or address) is locked for a while after each failure.
FAILURE_WINDOW_SECONDS = 15 * 60
FAILURES_BEFORE_THROTTLE = 5
MAX_HOLD_SECONDS = 3.0  # a checked attempt past the threshold is answered this late at most
MAX_LOCK_SECONDS = 60.0


def hold_seconds(failures: int) -> float:
    """How long to hold back the answer to an attempt after `failures` recent failures."""
    if failures < FAILURES_BEFORE_THROTTLE:
        return 0.0
    return min(0.5 * (failures - FAILURES_BEFORE_THROTTLE + 1), MAX_HOLD_SECONDS)


def lock_seconds(failures: int) -> float:
    """How long after the latest failure attempts are refused unchecked: 1, 2, 4 … 60 s."""
    if failures < FAILURES_BEFORE_THROTTLE:
        return 0.0
    return min(2.0 ** (failures - FAILURES_BEFORE_THROTTLE), MAX_LOCK_SECONDS)
