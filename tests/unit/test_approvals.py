"""Who must approve what (`approval_problem`), whether a visitor's letter covers a folder today
(`letter_problem`, `covers`) and when a second member of staff must confirm an issue
(`witness_problem`): plain values, with policies as the `[approvals]` table builds them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vault.config import _approvals
from vault.domain.approvals import (
    Duty,
    LetterView,
    Policy,
    SignOff,
    approval_problem,
    covers,
    letter_problem,
    witness_problem,
)
from vault.domain.model import Classification

C = Classification
LEADER = SignOff("li", Duty.LEADER)
OTHER_LEADER = SignOff("wang", Duty.LEADER)
HEAD = SignOff("zhao", Duty.HEAD)


def policy_from(table: dict) -> Policy:
    """A policy as `vault.toml`'s `[approvals]` table would give it."""
    return _approvals(table, Path("vault.toml"))


def test_the_default_needs_one_leader_for_confidential_and_secret_and_the_head_for_top_secret():
    p = Policy()
    assert approval_problem(p, C.PUBLIC, False, []) is None
    assert approval_problem(p, C.INTERNAL, False, []) is None
    for level in (C.CONFIDENTIAL, C.SECRET):
        assert approval_problem(p, level, False, []) == (
            "needs approval by a leader (0 of 1 approvals recorded for this folder)"
        )
        assert approval_problem(p, level, False, [LEADER]) is None
    assert approval_problem(p, C.TOP_SECRET, False, [LEADER, OTHER_LEADER]) == (
        "needs approval by the head of the unit (0 of 1 approvals recorded for this folder)"
    )
    assert approval_problem(p, C.TOP_SECRET, False, [HEAD]) is None


def test_a_visitor_needs_a_leader_even_for_a_public_folder():
    p = Policy()
    assert "needs approval by a leader" in approval_problem(p, C.PUBLIC, True, [])
    assert approval_problem(p, C.PUBLIC, True, [LEADER]) is None
    assert approval_problem(policy_from({"visitors": 0}), C.PUBLIC, True, []) is None


def test_a_refusal_by_any_approver_blocks_whatever_else_was_given():
    p = Policy()
    refused = SignOff("wang", Duty.LEADER, approved=False)
    assert approval_problem(p, C.SECRET, False, [LEADER, HEAD, refused]) == "refused by wang"


def test_configured_counts_need_that_many_different_people():
    p = policy_from({"confidential": 2, "secret": {"approvers": 1, "duty": "head"}})
    assert "(1 of 2 approvals" in approval_problem(p, C.CONFIDENTIAL, False, [LEADER])
    assert "(1 of 2 approvals" in approval_problem(p, C.CONFIDENTIAL, False, [LEADER, LEADER])
    assert approval_problem(p, C.CONFIDENTIAL, False, [LEADER, OTHER_LEADER]) is None
    assert "head of the unit" in approval_problem(p, C.SECRET, False, [LEADER])
    assert approval_problem(p, C.SECRET, False, [HEAD]) is None
    # A level set to 0 approvers needs none; the levels not named keep the default.
    p = policy_from({"confidential": 0})
    assert approval_problem(p, C.CONFIDENTIAL, False, []) is None
    assert approval_problem(p, C.SECRET, False, []) is not None


def test_the_heads_named_in_the_configuration_approve_as_the_head():
    p = policy_from({"heads": ["zhao"]})
    assert p.duty_of("zhao") is Duty.HEAD and p.duty_of("li") is Duty.LEADER
    signoff = SignOff("zhao", p.duty_of("zhao"))
    assert approval_problem(p, C.TOP_SECRET, False, [signoff]) is None
    # A head counts as a leader too: one head approves a visitor's top-secret folder.
    assert approval_problem(p, C.TOP_SECRET, True, [signoff]) is None


LETTER = LetterView(
    "县发改委", "发改函〔2026〕3号", date(2026, 3, 1), date(2026, 3, 31), ("WC-TJ-2002", "人口")
)


def test_a_letter_covers_by_code_prefix_at_a_dash_or_by_subject_in_the_title():
    assert covers(["WC-TJ-2002-0137"], "WC-TJ-2002-0137", "")
    assert covers(["WC-TJ-2002"], "WC-TJ-2002-0138", "")
    assert covers(["WC-TJ-2002-"], "WC-TJ-2002-0138", "")
    assert not covers(["WC-TJ-200"], "WC-TJ-2002-0138", "")  # not at a "-" boundary
    assert covers(["人口"], "WC-TJ-2003-0011", "2003年人口抽样调查")
    assert not covers(["", "  "], "WC-TJ-2003-0011", "2003年人口抽样调查")


@pytest.mark.parametrize(
    ("day", "code", "title", "problem"),
    [
        (date(2026, 3, 10), "WC-TJ-2002-0137", "农业普查", None),
        (date(2026, 3, 31), "WC-TJ-2003-0011", "人口抽样调查", None),
        (date(2026, 4, 1), "WC-TJ-2002-0137", "", "ran out on 2026-03-31"),
        (date(2026, 2, 28), "WC-TJ-2002-0137", "", "is dated 2026-03-01, after today"),
        (date(2026, 3, 10), "WC-TJ-2005-0033", "经济普查", "does not cover WC-TJ-2005-0033"),
    ],
)
def test_a_letter_is_checked_on_the_day_of_each_issue(day, code, title, problem):
    found = letter_problem(LETTER, code, title, day)
    if problem is None:
        assert found is None
    else:
        assert found == f"letter 发改函〔2026〕3号 of 县发改委 {problem}"


def test_a_second_member_of_staff_only_for_the_configured_levels():
    p = policy_from({"second_person": ["top_secret"]})
    assert witness_problem(Policy(), C.TOP_SECRET, "li", None) is None  # none unless configured
    assert witness_problem(p, C.SECRET, "li", None) is None
    assert witness_problem(p, C.TOP_SECRET, "li", None) == (
        "a second member of staff must confirm this issue"
    )
    assert witness_problem(p, C.TOP_SECRET, None, None) is not None  # a serial scan has none
    assert "someone other than the archivist" in witness_problem(p, C.TOP_SECRET, "li", "li")
    assert witness_problem(p, C.TOP_SECRET, "li", "wang") is None
