"""The role table on plain values: denied by default, the guard-room screen only watches."""

import pytest

from vault.domain import access
from vault.domain.access import Role, allowed

SIGNED_IN = list(Role)
EVERYONE = [None, *SIGNED_IN]


@pytest.mark.parametrize("role", EVERYONE)
def test_a_route_nobody_decided_on_is_denied_to_everyone(role):
    assert not allowed(role, "register")  # a page still to come
    assert not allowed(role, "no_such_page")
    assert not allowed(role, None)  # a route without a name
    assert not allowed(role, "")


@pytest.mark.parametrize("role", EVERYONE)
def test_the_sign_in_pages_and_static_files_are_public(role):
    for name in ("static", "signin", "signin_submit", "kiosk_link", "kiosk_link_submit"):
        assert allowed(role, name)


def test_nobody_signed_in_may_open_anything_else():
    assert [name for name in access.PERMISSIONS if allowed(None, name)] == []


def test_the_guard_room_screen_only_watches_the_board_and_acknowledges():
    mine = {name for name in access.PERMISSIONS if allowed(Role.KIOSK, name)}
    assert mine == {"alarm_board", "alarm_events", "alarm_ack"}


def test_the_desk_scans_for_the_archivist_and_the_administrator_only_watches_it():
    for name in ("desk", "desk_events"):
        assert {r for r in Role if allowed(r, name)} == {Role.ARCHIVIST, Role.ADMINISTRATOR}
    assert {r for r in Role if allowed(r, "desk_scan")} == {Role.ARCHIVIST}
    assert {r for r in Role if allowed(r, "alarm_history")} == {Role.SECURITY, Role.ADMINISTRATOR}


def test_security_and_the_administrator_watch_and_acknowledge_alarms():
    for name in ("alarm_board", "alarm_events", "alarm_ack", "api_alarms"):
        assert allowed(Role.SECURITY, name)
        assert allowed(Role.ADMINISTRATOR, name)
        assert not allowed(Role.ARCHIVIST, name)
        assert not allowed(Role.LEADER, name)


def test_people_sign_out_but_the_screen_is_ended_by_an_administrator():
    assert {r for r in Role if allowed(r, "signout")} == set(Role) - {Role.KIOSK}
    assert not allowed(Role.KIOSK, "home")


def test_every_entry_names_real_roles_and_the_groups_for_later_pages_hold():
    for roles in access.PERMISSIONS.values():
        assert roles and roles <= access.ALL_ROLES
    later = access.DESK | access.REGISTER | access.APPROVERS | access.READERS_OF_RECORDS
    assert Role.KIOSK not in later and Role.SECURITY not in later


def test_roles_are_compared_as_the_words_stored_in_the_database():
    assert allowed("security", "alarm_board")
    assert not allowed("reader", "alarm_board")  # not a role that signs in
    assert not allowed("Security", "alarm_board")


def test_failed_sign_ins_are_held_back_then_locked_longer_each_time_up_to_a_cap():
    assert [access.hold_seconds(n) for n in range(5)] == [0.0] * 5
    assert [access.lock_seconds(n) for n in range(5)] == [0.0] * 5
    assert [access.hold_seconds(n) for n in (5, 6, 7, 50)] == [0.5, 1.0, 1.5, 3.0]
    assert [access.lock_seconds(n) for n in (5, 6, 7, 8, 50)] == [1.0, 2.0, 4.0, 8.0, 60.0]
