"""Retention periods and appraisal dates.

A folder's retention period is written on it as the bureau writes it ("10年", "30年", "长期",
"永久", or in English "10 years", "permanent"). The period counts whole years from the end of
the year the file was closed, so a 2002 file kept 10 years is due for appraisal on 1 January
2013. "长期" (long-term) is taken at its longest, 50 years, since appraisal is where a person
decides and an early review costs less than a late one that is never done. A permanent folder,
or one whose period nobody wrote, is never due.
"""

from __future__ import annotations

import re
from datetime import date

NAMED_YEARS = {"短期": 15, "长期": 50, "short": 15, "short-term": 15, "long": 50, "long-term": 50}
PERMANENT = {"永久", "permanent", "forever"}
_YEARS = re.compile(r"\s*(\d{1,3})\s*(?:年|years?|y)\s*", re.IGNORECASE)


class RetentionUnreadable(ValueError):
    """A retention period that is neither a number of years nor a known word."""


def retention_years(retention: str) -> int | None:
    """Years a folder is kept; None: permanently, or no period written."""
    text = retention.strip()
    if not text or text.lower() in PERMANENT:
        return None
    if text.lower() in NAMED_YEARS:
        return NAMED_YEARS[text.lower()]
    match = _YEARS.fullmatch(text)
    if match is None:
        raise RetentionUnreadable(
            f'retention {retention!r} is not a number of years ("10年"), 短期, 长期 or 永久'
        )
    return int(match.group(1))


def appraisal_date(year: int | None, retention: str) -> date | None:
    """When the folder's retention period has run and it is due for appraisal."""
    years = retention_years(retention)
    if years is None or year is None:
        return None
    return date(min(year + years + 1, 9999), 1, 1)
