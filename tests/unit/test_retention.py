"""Retention periods as the bureau writes them, and the appraisal date they give."""

from __future__ import annotations

from datetime import date

import pytest

from vault.domain.retention import RetentionUnreadable, appraisal_date, retention_years


@pytest.mark.parametrize(
    ("written", "years"),
    [
        ("10年", 10),
        (" 30 年 ", 30),
        ("10 years", 10),
        ("1 year", 1),
        ("短期", 15),
        ("长期", 50),
        ("long-term", 50),
        ("永久", None),
        ("Permanent", None),
        ("", None),
    ],
)
def test_retention_periods_as_written(written, years):
    assert retention_years(written) == years


@pytest.mark.parametrize("written", ["十年", "10", "ten years", "30年或永久", "-5年"])
def test_a_period_nobody_can_read_is_refused_with_what_is_accepted(written):
    with pytest.raises(RetentionUnreadable, match="永久"):
        retention_years(written)


def test_the_period_counts_from_the_end_of_the_year_the_file_was_closed():
    assert appraisal_date(2002, "10年") == date(2013, 1, 1)
    assert appraisal_date(2003, "长期") == date(2054, 1, 1)
    assert appraisal_date(2002, "永久") is None
    assert appraisal_date(None, "10年") is None  # no year: no date, never guessed
    assert appraisal_date(2002, "999年") == date(3002, 1, 1)
    assert appraisal_date(9990, "99年") == date(9999, 1, 1)  # the calendar's end, not an error
