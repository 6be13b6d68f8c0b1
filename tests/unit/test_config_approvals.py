"""The `[approvals]` table: who must approve which levels, checked when the file is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from vault.config import ConfigError, parse
from vault.domain.approvals import Duty, Policy, Requirement
from vault.domain.model import Classification

PATH = Path("/srv/vault/vault.toml")


def approvals(table: dict) -> Policy:
    return parse({"approvals": table}, PATH).approvals


def test_without_the_table_the_bureau_practice_applies():
    policy = parse({}, PATH).approvals
    assert policy.levels == {
        Classification.CONFIDENTIAL: Requirement(1, Duty.LEADER),
        Classification.SECRET: Requirement(1, Duty.LEADER),
        Classification.TOP_SECRET: Requirement(1, Duty.HEAD),
    }
    assert policy.visitors == Requirement(1, Duty.LEADER)
    assert policy.second_person == frozenset() and policy.destruction_approvers == 2


def test_levels_counts_and_duties_are_set_per_level():
    policy = approvals(
        {
            "confidential": 0,
            "secret": 2,
            "top_secret": {"approvers": 2, "duty": "head"},
            "internal": 1,
            "second_person": ["top_secret"],
            "heads": ["wang"],
            "leading_group": ["wang", "li", "zhao"],
            "destruction_approvers": 3,
        }
    )
    assert Classification.CONFIDENTIAL not in policy.levels  # 0: no approval needed
    assert policy.levels[Classification.SECRET] == Requirement(2, Duty.LEADER)
    assert policy.levels[Classification.TOP_SECRET] == Requirement(2, Duty.HEAD)
    assert policy.levels[Classification.INTERNAL] == Requirement(1, Duty.LEADER)
    assert policy.second_person == {Classification.TOP_SECRET}
    assert policy.duty_of("wang") is Duty.HEAD and policy.duty_of("li") is Duty.LEADER
    assert policy.destruction_approvers == 3


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"secret": -1}, "approvers must be a whole number"),
        ({"secret": {"approvers": 1, "duty": "mayor"}}, 'duty must be "leader" or "head"'),
        ({"secret": "one"}, "must be a number of approvers"),
        ({"second_person": ["very_secret"]}, "unknown level"),
        ({"heads": "wang"}, "heads must be a list of names"),
        ({"destruction_approvers": 0}, "destruction_approvers must be a whole number"),
        ({"leading_group": ["wang"]}, "leading_group names 1 people but a destruction needs 2"),
        ({"approver": 1}, "unknown setting"),
    ],
)
def test_a_mistake_is_refused_at_load_with_what_to_write(table, message):
    with pytest.raises(ConfigError, match=message):
        approvals(table)
