"""Who must approve what, and whether a request covers a folder today.

The levels that need approval and how many approvers each needs come from the archive's
configuration (`[approvals]`), with the bureau's practice as the default: one leader for
confidential and secret folders, the head of the unit for top secret, and a leader for any
folder a visitor from another unit asks for. An approval names folders, so a request approved
for two folders of five covers those two only.

A visitor's introduction letter is checked again at every issue, not only when the request was
made: a letter runs out, and it names what it covers (folder codes, code prefixes such as a
catalogue "WC-TJ-2002", or subjects found in the title).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from vault.domain.model import Classification


class Duty(StrEnum):
    LEADER = "leader"  # any leader of the unit
    HEAD = "head"  # the head of the unit (named in the configuration)


@dataclass(frozen=True)
class Requirement:
    approvers: int = 1  # how many different people must approve
    duty: Duty = Duty.LEADER  # in what capacity


@dataclass(frozen=True)
class Policy:
    levels: Mapping[Classification, Requirement] = field(
        default_factory=lambda: {
            Classification.CONFIDENTIAL: Requirement(1, Duty.LEADER),
            Classification.SECRET: Requirement(1, Duty.LEADER),
            Classification.TOP_SECRET: Requirement(1, Duty.HEAD),
        }
    )
    visitors: Requirement = Requirement(1, Duty.LEADER)
    # Issued only when a second member of staff confirms at the desk (none unless configured).
    second_person: frozenset[Classification] = frozenset()
    heads: frozenset[str] = frozenset()  # names (usernames) of the head(s) of the unit
    leading_group: frozenset[str] = frozenset()  # the archives leading group
    destruction_approvers: int = 2  # members of the leading group who must approve a batch

    def duty_of(self, approver: str) -> Duty:
        return Duty.HEAD if approver in self.heads else Duty.LEADER


@dataclass(frozen=True)
class SignOff:
    """One recorded decision on a request, as far as it concerns one folder."""

    approver: str
    duty: Duty
    approved: bool = True


@dataclass(frozen=True)
class LetterView:
    unit: str
    number: str
    issued_on: date
    valid_until: date
    covers: tuple[str, ...]  # folder codes, code prefixes or subjects


def requirements(policy: Policy, level: Classification, visitor: bool) -> list[Requirement]:
    needed = [policy.levels[level]] if level in policy.levels else []
    if visitor and policy.visitors.approvers > 0:
        needed.append(policy.visitors)
    return needed


def approval_problem(
    policy: Policy, level: Classification, visitor: bool, signoffs: Sequence[SignOff]
) -> str | None:
    """Why the folder may not leave on this request (None: the approvals are enough)."""
    refused = sorted({s.approver for s in signoffs if not s.approved})
    if refused:
        return f"refused by {', '.join(refused)}"
    for need in requirements(policy, level, visitor):
        qualified = {
            s.approver for s in signoffs if need.duty is Duty.LEADER or s.duty is Duty.HEAD
        }
        if len(qualified) < need.approvers:
            who = "the head of the unit" if need.duty is Duty.HEAD else "a leader"
            return (
                f"needs approval by {who} ({len(qualified)} of {need.approvers} approvals "
                "recorded for this folder)"
            )
    return None


def letter_problem(letter: LetterView, code: str, title: str, day: date) -> str | None:
    """Why the visitor's letter does not cover this folder today (None: it does)."""
    name = f"letter {letter.number} of {letter.unit}"
    if day < letter.issued_on:
        return f"{name} is dated {letter.issued_on}, after today"
    if day > letter.valid_until:
        return f"{name} ran out on {letter.valid_until}"
    if not covers(letter.covers, code, title):
        return f"{name} does not cover {code}"
    return None


def covers(subjects: Sequence[str], code: str, title: str) -> bool:
    """A letter's line covers a folder by its whole code, a code prefix at a "-" boundary, or
    as a subject appearing in the title."""
    for subject in (s.strip() for s in subjects):
        if not subject:
            continue
        if code == subject or code.startswith(subject.rstrip("-") + "-"):
            return True
        if subject in title:
            return True
    return False


def witness_problem(
    policy: Policy, level: Classification, staff: str | None, witness: str | None
) -> str | None:
    """Why an issue at this level still needs a second member of staff (None: it does not)."""
    if level not in policy.second_person:
        return None
    if not witness:
        return "a second member of staff must confirm this issue"
    if staff and witness == staff:
        return "the second member of staff must be someone other than the archivist"
    return None
