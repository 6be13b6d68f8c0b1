"""Where a destruction batch stands and what keeps a folder out of it (DESIGN.md rule 7), with
plain values; and the sentences of its refusals in Chinese."""

from __future__ import annotations

import re
from datetime import date

import pytest

from vault.domain.destruction import (
    BatchStatus,
    Decision,
    FolderFacts,
    approver_problem,
    batch_problem,
    confirm_problem,
    pulping_problem,
    standing,
)
from vault.web.i18n import translate

TODAY = date(2026, 5, 1)
DUE = FolderFacts("WC-TJ-2002-0138", "shelved", date(2013, 1, 1))
YES, NO = True, False


def test_a_batch_needs_the_configured_number_of_different_approvers():
    assert standing([], 2, False).status is BatchStatus.DRAFT
    one = standing([Decision("wang", YES)], 2, False)
    assert (one.status, one.text) == (BatchStatus.AWAITING, "awaiting approvals (1 of 2)")
    assert standing([Decision("wang", YES), Decision("li", YES)], 2, False).status is (
        BatchStatus.APPROVED
    )
    assert standing([Decision("wang", YES)], 1, False).status is BatchStatus.APPROVED
    twice = standing([Decision("wang", YES), Decision("wang", YES)], 2, False)
    assert twice.approvals == 1  # the same person twice is one approval


def test_one_refusal_stops_a_batch_whatever_the_approvals_and_destroyed_is_final():
    decisions = [Decision("wang", YES), Decision("li", YES), Decision("zhao", NO)]
    assert standing(decisions, 2, False).status is BatchStatus.REFUSED
    assert standing(decisions[:2], 2, True).status is BatchStatus.DESTROYED


def test_only_due_unheld_folders_not_yet_destroyed_go_into_a_batch():
    assert batch_problem(DUE, TODAY) is None
    later = FolderFacts("A-1", "shelved", date(2030, 1, 1))
    assert batch_problem(later, TODAY) == "A-1 is not due for appraisal until 2030-01-01"
    kept = FolderFacts("A-2", "shelved", None)
    assert batch_problem(kept, TODAY) == "A-2 has no appraisal date: it is kept permanently"
    held = FolderFacts("A-3", "shelved", date(2013, 1, 1), ("审计调查", "上级检查"))
    assert batch_problem(held, TODAY) == "A-3 is held: 审计调查 / 上级检查"
    asked = FolderFacts("A-4", "issued", date(2013, 1, 1), (), (7, 9))
    assert batch_problem(asked, TODAY) == "A-4 is asked for by open request 7, 9"
    gone = FolderFacts("A-5", "destroyed", date(2013, 1, 1))
    assert batch_problem(gone, TODAY) == "A-5 was already destroyed"
    # An issued folder may be batched (it will be back); it is pulped only from its shelf.
    assert batch_problem(FolderFacts("A-6", "issued", date(2013, 1, 1)), TODAY) is None


@pytest.mark.parametrize(
    ("state", "where"),
    [
        ("issued", "issued to a reader"),
        ("in_reading_room", "in the reading room"),
        ("outside", "outside the warehouse"),
    ],
)
def test_a_folder_is_pulped_only_from_its_shelf(state, where):
    folder = FolderFacts("A-1", state, date(2013, 1, 1))
    assert pulping_problem(folder) == f"A-1 is not on its shelf: it is {where}"
    assert pulping_problem(DUE) is None


def test_only_members_of_the_leading_group_decide_and_each_once():
    group = {"wang", "li"}
    assert approver_problem("wang", group, []) is None
    assert approver_problem("zhang", group, []) == (
        "zhang is not a member of the archives leading group"
    )
    assert approver_problem("wang", group, [Decision("wang", NO)]) == (
        "wang has already decided on this batch"
    )
    assert "[approvals] leading_group" in approver_problem("wang", set(), [])


def test_the_pulping_is_confirmed_only_after_enough_approvals_and_on_a_possible_date():
    approved = standing([Decision("wang", YES), Decision("li", YES)], 2, False)
    approved_on = date(2026, 4, 20)
    assert confirm_problem(approved, TODAY, TODAY, approved_on) is None
    assert confirm_problem(approved, approved_on, TODAY, approved_on) is None
    assert confirm_problem(approved, date(2026, 5, 2), TODAY, approved_on) == (
        "the destruction date 2026-05-02 is in the future"
    )
    assert confirm_problem(approved, date(2026, 4, 19), TODAY, approved_on) == (
        "the destruction date 2026-04-19 is before the approval on 2026-04-20"
    )
    one = standing([Decision("wang", YES)], 2, False)
    assert confirm_problem(one, TODAY, TODAY, approved_on) == (
        "this batch needs 2 approvals by the archives leading group (1 recorded)"
    )
    refused = standing([Decision("wang", YES), Decision("li", NO)], 1, False)
    assert "refused" in confirm_problem(refused, TODAY, TODAY, approved_on)
    done = standing([Decision("wang", YES), Decision("li", YES)], 2, True)
    assert "already" in confirm_problem(done, TODAY, TODAY, approved_on)


def sentences() -> list[str]:
    approved = standing([Decision("wang", YES), Decision("li", YES)], 2, False)
    found = [
        batch_problem(FolderFacts("A-1", "shelved", date(2030, 1, 1)), TODAY),
        batch_problem(FolderFacts("A-1", "shelved", None), TODAY),
        batch_problem(FolderFacts("A-1", "shelved", date(2013, 1, 1), ("审计",)), TODAY),
        batch_problem(FolderFacts("A-1", "shelved", date(2013, 1, 1), (), (3,)), TODAY),
        batch_problem(FolderFacts("A-1", "destroyed", date(2013, 1, 1)), TODAY),
        approver_problem("zhang", {"wang"}, []),
        approver_problem("wang", {"wang"}, [Decision("wang", YES)]),
        approver_problem("wang", set(), []),
        confirm_problem(approved, date(2026, 5, 2), TODAY, TODAY),
        confirm_problem(approved, date(2026, 4, 2), TODAY, TODAY),
        confirm_problem(standing([Decision("wang", YES)], 2, False), TODAY, TODAY, TODAY),
        standing([Decision("wang", YES)], 3, False).text,
    ]
    for state in ("issued", "in_reading_room", "outside"):
        found.append(pulping_problem(FolderFacts("A-1", state, date(2013, 1, 1))))
    return found


@pytest.mark.parametrize("sentence", sentences())
def test_every_refusal_reads_in_chinese_with_its_names_kept(sentence):
    chinese = translate(sentence, "zh")
    words = re.sub(r"zhang|wang|\[approvals\]|leading_group", "", chinese)  # names, settings
    assert re.search(r"[a-z]{3,}", words) is None, chinese
    for name in re.findall(r"A-1|zhang|wang|审计|20\d\d-\d\d-\d\d", sentence):
        assert name in chinese, (name, chinese)
