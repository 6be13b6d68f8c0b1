"""The requests `bench.page_speed` sends to the pages of requests, retention and destruction,
releases and reports (`bench.page_requests` holds the rest and the common parts).

Drawn from the archive (`bench.dataset`, `bench.dataset_records`) before anything is sent:
requests (historical, open, a visitor's), every destruction batch, due folders to page from,
release units, the busiest folders and people, busy days, 30-day windows of the statistics
report and the closing checks that raised most alarms. A whole report as a file is not a page:
one CSV each is timed to its first line (when the download starts), and PDFs are timed apart,
out of the routes' figures (`file="pdf"`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from bench import page_requests as pr
from bench.dataset import END
from bench.register_speed import HOT


@dataclass
class Records:
    requests: list[int]  # historical requests
    open_requests: list[int]
    visitor_requests: list[int]
    batches: list[int]
    destroyed: list[int]  # batches confirmed destroyed
    due: list[str]  # folders due for appraisal, a sample in code order
    units: list[str]
    busy_people: list[str]
    days: list[str]  # working days with custody events
    closing_days: list[str]  # closing checks, most alarms first
    busiest: str  # the folder with most custody events


def sample(rng: random.Random) -> Records:
    """Read through Vault's open connection (`bench.page_requests.sample`)."""
    rows = pr._rows
    top = rows("SELECT max(id) FROM request")[0][0]
    busy = rows(
        "SELECT p.name FROM (SELECT person_id, count(*) n FROM custody_event "
        "WHERE person_id IS NOT NULL AND id % 7 = 0 GROUP BY person_id ORDER BY n DESC LIMIT 50) "
        "JOIN person p ON p.id = person_id"
    )
    days = rows("SELECT DISTINCT substr(at, 1, 10) FROM custody_event WHERE id % 20000 = 0")
    return Records(
        requests=rng.sample(range(1, 50_001), 100),
        open_requests=list(range(50_001, top + 1)),
        visitor_requests=[r for (r,) in rows("SELECT id FROM request WHERE letter_id IS NOT NULL")],
        batches=[b for (b,) in rows("SELECT id FROM destruction_batch ORDER BY id")],
        destroyed=[b for (b,) in rows("SELECT batch_id FROM destruction ORDER BY batch_id")],
        due=[
            c
            for (c,) in rows(
                "SELECT code FROM folder WHERE appraisal_on <= ? AND id % 50 = 0 ORDER BY code",
                str(END + timedelta(days=1)),
            )
        ],  # fmt: skip
        units=[u for (u,) in rows("SELECT DISTINCT unit FROM external_release")],
        busy_people=[n for (n,) in busy],
        days=[d for (d,) in days],
        closing_days=[
            d for (d,) in rows("SELECT day FROM closing_run ORDER BY not_returned DESC, day")
        ],  # fmt: skip
        busiest=rows(
            f"SELECT code FROM folder WHERE id = (SELECT folder_id FROM custody_event "
            f"WHERE folder_id IN ({HOT}) GROUP BY folder_id ORDER BY count(*) DESC LIMIT 1)"
        )[0][0],
    )


def _requests_list(s: pr.Samples, rng: random.Random) -> pr.Plan:
    statuses = ("waiting", "approved", "refused", "withdrawn", "ended", "closed", "mine")
    return {
        "the list (newest 500)": [pr.get("/requests")] * 60,
        "one status": [pr.get("/requests", status=rng.choice(statuses)) for _ in range(70)],
    }


def _request(s: pr.Samples, rng: random.Random) -> pr.Plan:
    r = s.records
    page = "/requests/{}".format
    return {
        "historical requests": [pr.get(page(n)) for n in r.requests],
        "open requests": [pr.get(page(n)) for n in rng.sample(r.open_requests, 60)],
        "visitors' requests (a letter)": [pr.get(page(n)) for n in r.visitor_requests[:60]],
    }


def _appraisal(s: pr.Samples, rng: random.Random) -> pr.Plan:
    due = s.records.due
    return {
        "first page": [pr.get("/appraisal")] * 30,
        "pages after random due folders": [
            pr.get("/appraisal", after=c) for c in rng.sample(due, 70)
        ],  # fmt: skip
        "the whole list as CSV": [_file("/appraisal", "csv")] * 3,
    }


def _destruction(s: pr.Samples, rng: random.Random) -> pr.Plan:
    return {"every batch": [pr.get(f"/destructions/{b}") for b in s.records.batches] * 5}


def _certificate(s: pr.Samples, rng: random.Random) -> pr.Plan:
    done = s.records.destroyed
    pages = [pr.get(f"/destructions/{b}/certificate") for b in done]
    return {
        "the page of each destroyed batch": pages * 10,
        "a certificate as CSV": [_file(f"/destructions/{done[0]}/certificate", "csv")] * 5,
        "a certificate as PDF": [_file(f"/destructions/{done[0]}/certificate", "pdf")] * 5,
    }


def _releases(s: pr.Samples, rng: random.Random) -> pr.Plan:
    units = s.records.units
    return {
        "the register (newest first)": [pr.get("/releases")] * 40,
        "by unit": [pr.get("/releases", unit=rng.choice(units)[:4]) for _ in range(60)],
        "the whole register as CSV": [_file("/releases", "csv")] * 5,
    }


def _report_folder(s: pr.Samples, rng: random.Random) -> pr.Plan:
    hot, busiest = rng.sample(s.hot, min(60, len(s.hot))), s.records.busiest
    return {
        "the busiest folders (thousands of events)": [
            pr.get("/reports/folder", code=c) for c in hot
        ],  # fmt: skip
        "random folders": [pr.get("/reports/folder", code=c) for c, _ in rng.sample(s.codes, 60)],
        "the busiest folder's history as CSV": [_file(f"/reports/folder?code={busiest}", "csv")]
        * 5,
        "the busiest folder's history as PDF": [_file(f"/reports/folder?code={busiest}", "pdf")]
        * 3,
    }


def _report_person(s: pr.Samples, rng: random.Random) -> pr.Plan:
    r = s.records
    return {
        "the busiest readers": [pr.get("/reports/person", name=n) for n in r.busy_people],
        "random readers": [pr.get("/reports/person", name=n) for n in rng.sample(s.readers, 50)],
    }


def _report_day(s: pr.Samples, rng: random.Random) -> pr.Plan:
    days = rng.sample(s.records.days, min(100, len(s.records.days)))
    return {"random working days (~2,000 events each)": [pr.get("/reports/day", day=d)
                                                         for d in days]}  # fmt: skip


def _statistics(s: pr.Samples, rng: random.Random) -> pr.Plan:
    def window(end: date) -> pr.Call:
        return pr.get("/reports/statistics", **{"from": str(end - timedelta(days=29)),
                                                "until": str(end)})  # fmt: skip

    last = [window(END - timedelta(days=n)) for n in range(50)]
    spread = [window(END - timedelta(days=rng.randrange(7000))) for _ in range(50)]
    return {"30 days ending in the last 50 days (closing checks)": last,
            "30 days anywhere in twenty years": spread}  # fmt: skip


def _closing(s: pr.Samples, rng: random.Random) -> pr.Plan:
    days = s.records.closing_days
    return {
        "the days with most folders not returned": [
            pr.get("/reports/closing", day=d) for d in days[:10]
        ]
        * 6,  # fmt: skip
        "a day with no check run": [pr.get("/reports/closing", day="2010-06-01")] * 20,
        "the busiest day as CSV": [_file(f"/reports/closing?day={days[0]}", "csv")] * 5,
    }


def _file(path: str, kind: str) -> pr.Call:
    joiner = "&" if "?" in path else "?"
    return pr.Call("GET", f"{path}{joiner}format={kind}", download=True, file=kind)


def _plain(path: str, what: str, count: int):
    return lambda s, rng: {what: [pr.get(path)] * count}


PLANS = {
    "requests": _requests_list,
    "request_new": _plain("/requests/new", "the form", 100),
    "request": _request,
    "stocktakes": _plain("/stocktakes", "the list (no stocktakes in the archive)", 100),
    "appraisal_due": _appraisal,
    "holds": _plain("/holds", "every hold not lifted", 100),
    "destructions": _plain("/destructions", "every batch", 100),
    "destruction": _destruction,
    "destruction_certificate": _certificate,
    "releases": _releases,
    "reports": _plain("/reports", "the index", 100),
    "report_folder": _report_folder,
    "report_person": _report_person,
    "report_day": _report_day,
    "report_classified_holders": _plain("/reports/classified-holders", "the report", 60),
    "report_classified_places": _plain("/reports/classified-places", "the report", 60),
    "report_statistics": _statistics,
    "report_closing": _closing,
}
