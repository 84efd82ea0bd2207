"""Dates of the town's calendar the stories and the demo data share: the legal sales periods and the
Christmas market."""

from __future__ import annotations

from datetime import date, timedelta

# Sales (Code de commerce, art. D310-15-2): winter sales from the second Wednesday of January (the first
# when the second falls after the 12th), summer sales from the last Wednesday of June (the one before
# when it falls after the 28th); six weeks until 2019, four since 2020 (loi PACTE). Covid postponements:
SALES_POSTPONED = {(2020, "summer"): date(2020, 7, 15), (2021, "winter"): date(2021, 1, 20),
                   (2021, "summer"): date(2021, 6, 30)}


def sales_start(year: int, season: str) -> date:
    if (year, season) in SALES_POSTPONED:
        return SALES_POSTPONED[(year, season)]
    if season == "winter":
        first = date(year, 1, 1) + timedelta(days=(2 - date(year, 1, 1).weekday()) % 7)  # first Wednesday
        second = first + timedelta(days=7)
        return first if second.day > 12 else second
    last = date(year, 6, 30) - timedelta(days=(date(year, 6, 30).weekday() - 2) % 7)  # last Wednesday
    return last - timedelta(days=7) if last.day > 28 else last


def christmas_market(year: int) -> tuple[date, date]:
    """The Christmas market on the Grand-Place: from the last Friday of November to 30 December.

    The usual span of recent years; the city's real dates, when it publishes them, should replace it.
    """
    opening = date(year, 11, 30) - timedelta(days=(date(year, 11, 30).weekday() - 4) % 7)
    return opening, date(year, 12, 30)
