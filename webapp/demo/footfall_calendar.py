"""The calendar of the demo footfall: French public holidays (Easter-based ones computed), the school
holidays of the three zones, Covid in Arras (lockdowns, curfews, the recovery), the periods a generator
is asked for (`period_bounds`, `last_months`, `DEMO_YEARS`, `DEMO_SHORT`), and their per-day arrays
(school holidays, public holidays, sales, Christmas market, Covid level and curfew)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from webapp.data.calendar import christmas_market, sales_start

# --- calendar -------------------------------------------------------------------------------------

def easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar, the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> dict[date, str]:
    """The eleven French public holidays of a year (metropolitan France, Alsace-Moselle apart)."""
    e = easter(year)
    return {
        date(year, 1, 1): "Jour de l'an", e + timedelta(days=1): "Lundi de Pâques", date(year, 5, 1): "Fête du travail",
        date(year, 5, 8): "Victoire 1945", e + timedelta(days=39): "Ascension", e + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale", date(year, 8, 15): "Assomption", date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918", date(year, 12, 25): "Noël",
    }


# School holidays: (name, first day without school, day school resumes, zones). Source: Ministère de
# l'Éducation nationale, calendrier scolaire (education.gouv.fr/calendrier-scolaire-100148 and the open
# dataset "Calendrier scolaire", data.education.gouv.fr fr-en-calendrier-scolaire); 2023-2026 fixed by
# the arrêté of 7 December 2022 (JO of 8 December 2022). The spring holidays of 2021 are those of the
# Covid change of April 2021 (all zones 10-26 April). "Pont de l'Ascension": no school on the Friday.
# Zone B includes the académie de Lille (Arras). Outside December 2018 - January 2027 no day is marked.
SCHOOL_HOLIDAYS = (
    ("Noël", date(2018, 12, 22), date(2019, 1, 7), "ABC"),
    ("Hiver", date(2019, 2, 16), date(2019, 3, 4), "A"),
    ("Hiver", date(2019, 2, 9), date(2019, 2, 25), "B"),
    ("Hiver", date(2019, 2, 23), date(2019, 3, 11), "C"),
    ("Printemps", date(2019, 4, 13), date(2019, 4, 29), "A"),
    ("Printemps", date(2019, 4, 6), date(2019, 4, 23), "B"),
    ("Printemps", date(2019, 4, 20), date(2019, 5, 6), "C"),
    ("Pont de l'Ascension", date(2019, 5, 30), date(2019, 6, 3), "ABC"),
    ("Été", date(2019, 7, 6), date(2019, 9, 2), "ABC"),
    ("Toussaint", date(2019, 10, 19), date(2019, 11, 4), "ABC"),
    ("Noël", date(2019, 12, 21), date(2020, 1, 6), "ABC"),
    ("Hiver", date(2020, 2, 22), date(2020, 3, 9), "A"),
    ("Hiver", date(2020, 2, 15), date(2020, 3, 2), "B"),
    ("Hiver", date(2020, 2, 8), date(2020, 2, 24), "C"),
    ("Printemps", date(2020, 4, 18), date(2020, 5, 4), "A"),
    ("Printemps", date(2020, 4, 11), date(2020, 4, 27), "B"),
    ("Printemps", date(2020, 4, 4), date(2020, 4, 20), "C"),
    ("Pont de l'Ascension", date(2020, 5, 21), date(2020, 5, 25), "ABC"),
    ("Été", date(2020, 7, 4), date(2020, 9, 1), "ABC"),
    ("Toussaint", date(2020, 10, 17), date(2020, 11, 2), "ABC"),
    ("Noël", date(2020, 12, 19), date(2021, 1, 4), "ABC"),
    ("Hiver", date(2021, 2, 6), date(2021, 2, 22), "A"),
    ("Hiver", date(2021, 2, 20), date(2021, 3, 8), "B"),
    ("Hiver", date(2021, 2, 13), date(2021, 3, 1), "C"),
    ("Printemps", date(2021, 4, 10), date(2021, 4, 26), "ABC"),
    ("Pont de l'Ascension", date(2021, 5, 13), date(2021, 5, 17), "ABC"),
    ("Été", date(2021, 7, 6), date(2021, 9, 2), "ABC"),
    ("Toussaint", date(2021, 10, 23), date(2021, 11, 8), "ABC"),
    ("Noël", date(2021, 12, 18), date(2022, 1, 3), "ABC"),
    ("Hiver", date(2022, 2, 12), date(2022, 2, 28), "A"),
    ("Hiver", date(2022, 2, 5), date(2022, 2, 21), "B"),
    ("Hiver", date(2022, 2, 19), date(2022, 3, 7), "C"),
    ("Printemps", date(2022, 4, 16), date(2022, 5, 2), "A"),
    ("Printemps", date(2022, 4, 9), date(2022, 4, 25), "B"),
    ("Printemps", date(2022, 4, 23), date(2022, 5, 9), "C"),
    ("Pont de l'Ascension", date(2022, 5, 26), date(2022, 5, 30), "ABC"),
    ("Été", date(2022, 7, 7), date(2022, 9, 1), "ABC"),
    ("Toussaint", date(2022, 10, 22), date(2022, 11, 7), "ABC"),
    ("Noël", date(2022, 12, 17), date(2023, 1, 3), "ABC"),
    ("Hiver", date(2023, 2, 4), date(2023, 2, 20), "A"),
    ("Hiver", date(2023, 2, 11), date(2023, 2, 27), "B"),
    ("Hiver", date(2023, 2, 18), date(2023, 3, 6), "C"),
    ("Printemps", date(2023, 4, 8), date(2023, 4, 24), "A"),
    ("Printemps", date(2023, 4, 15), date(2023, 5, 2), "B"),
    ("Printemps", date(2023, 4, 22), date(2023, 5, 9), "C"),
    ("Pont de l'Ascension", date(2023, 5, 18), date(2023, 5, 22), "ABC"),
    ("Été", date(2023, 7, 8), date(2023, 9, 4), "ABC"),
    ("Toussaint", date(2023, 10, 21), date(2023, 11, 6), "ABC"),
    ("Noël", date(2023, 12, 23), date(2024, 1, 8), "ABC"),
    ("Hiver", date(2024, 2, 17), date(2024, 3, 4), "A"),
    ("Hiver", date(2024, 2, 24), date(2024, 3, 11), "B"),
    ("Hiver", date(2024, 2, 10), date(2024, 2, 26), "C"),
    ("Printemps", date(2024, 4, 13), date(2024, 4, 29), "A"),
    ("Printemps", date(2024, 4, 20), date(2024, 5, 6), "B"),
    ("Printemps", date(2024, 4, 6), date(2024, 4, 22), "C"),
    ("Pont de l'Ascension", date(2024, 5, 9), date(2024, 5, 13), "ABC"),
    ("Été", date(2024, 7, 6), date(2024, 9, 2), "ABC"),
    ("Toussaint", date(2024, 10, 19), date(2024, 11, 4), "ABC"),
    ("Noël", date(2024, 12, 21), date(2025, 1, 6), "ABC"),
    ("Hiver", date(2025, 2, 22), date(2025, 3, 10), "A"),
    ("Hiver", date(2025, 2, 8), date(2025, 2, 24), "B"),
    ("Hiver", date(2025, 2, 15), date(2025, 3, 3), "C"),
    ("Printemps", date(2025, 4, 19), date(2025, 5, 5), "A"),
    ("Printemps", date(2025, 4, 5), date(2025, 4, 22), "B"),
    ("Printemps", date(2025, 4, 12), date(2025, 4, 28), "C"),
    ("Pont de l'Ascension", date(2025, 5, 29), date(2025, 6, 2), "ABC"),
    ("Été", date(2025, 7, 5), date(2025, 9, 1), "ABC"),
    ("Toussaint", date(2025, 10, 18), date(2025, 11, 3), "ABC"),
    ("Noël", date(2025, 12, 20), date(2026, 1, 5), "ABC"),
    ("Hiver", date(2026, 2, 7), date(2026, 2, 23), "A"),
    ("Hiver", date(2026, 2, 14), date(2026, 3, 2), "B"),
    ("Hiver", date(2026, 2, 21), date(2026, 3, 9), "C"),
    ("Printemps", date(2026, 4, 4), date(2026, 4, 20), "A"),
    ("Printemps", date(2026, 4, 11), date(2026, 4, 27), "B"),
    ("Printemps", date(2026, 4, 18), date(2026, 5, 4), "C"),
    ("Pont de l'Ascension", date(2026, 5, 14), date(2026, 5, 18), "ABC"),
    ("Été", date(2026, 7, 4), date(2026, 9, 1), "ABC"),
    ("Toussaint", date(2026, 10, 17), date(2026, 11, 2), "ABC"),
    ("Noël", date(2026, 12, 19), date(2027, 1, 4), "ABC"),
)
CITY_ZONE = "B"

# Covid in Arras (Pas-de-Calais): (first day, last day, level against a normal day, curfew hour or None).
COVID = (
    (date(2020, 3, 14), date(2020, 3, 16), 0.70, None),  # bars and restaurants closed
    (date(2020, 3, 17), date(2020, 5, 10), 0.27, None),  # first lockdown
    (date(2020, 5, 11), date(2020, 6, 1), 0.70, None),  # shops reopen, bars still closed
    (date(2020, 6, 2), date(2020, 6, 21), 0.80, None),
    (date(2020, 6, 22), date(2020, 10, 23), 0.93, None),
    (date(2020, 10, 24), date(2020, 10, 29), 0.82, 21),  # curfew in the Pas-de-Calais
    (date(2020, 10, 30), date(2020, 11, 27), 0.45, None),  # second lockdown
    (date(2020, 11, 28), date(2020, 12, 14), 0.82, None),  # shops reopen, lockdown until 15 December
    (date(2020, 12, 15), date(2021, 1, 15), 0.88, 20),
    (date(2021, 1, 16), date(2021, 3, 5), 0.85, 18),
    (date(2021, 3, 6), date(2021, 3, 7), 0.35, 18),  # weekend lockdown in the Pas-de-Calais
    (date(2021, 3, 8), date(2021, 3, 12), 0.82, 18),
    (date(2021, 3, 13), date(2021, 3, 14), 0.35, 18),
    (date(2021, 3, 15), date(2021, 3, 19), 0.82, 18),
    (date(2021, 3, 20), date(2021, 4, 2), 0.50, 19),  # non-essential shops closed in the Pas-de-Calais
    (date(2021, 4, 3), date(2021, 5, 2), 0.40, 19),  # national lockdown
    (date(2021, 5, 3), date(2021, 5, 18), 0.50, 19),
    (date(2021, 5, 19), date(2021, 6, 8), 0.80, 21),  # shops and terraces reopen
    (date(2021, 6, 9), date(2021, 6, 19), 0.85, 23),
)
MARKETS_SUSPENDED = (date(2020, 3, 17), date(2020, 5, 10))
CHRISTMAS_MARKET_CANCELLED = {2020}
# Level against pre-Covid after the last curfew (assumption): (day, level), linear in between, flat after.
RECOVERY = ((date(2021, 6, 20), 0.86), (date(2021, 12, 31), 0.90), (date(2022, 12, 31), 0.95),
            (date(2023, 12, 31), 0.97), (date(2024, 12, 31), 0.98), (date(2025, 12, 31), 0.99))


# --- periods --------------------------------------------------------------------------------------

Period = range | tuple[date, date]


def period_bounds(period: Period) -> tuple[date, date]:
    """First and last day: a range of years (Jan 1 to Dec 31) or (first day, last day)."""
    if isinstance(period, range):
        return date(period[0], 1, 1), date(period[-1], 12, 31)
    first, last = period
    if last < first:
        raise ValueError("the period ends before it starts")
    return first, last


def last_months(months: int = 13, until: date = date(2025, 12, 31)) -> tuple[date, date]:
    """The `months` whole months ending with `until`'s month (the embedded default: the last 13)."""
    year, month = until.year, until.month - months + 1
    while month < 1:
        year, month = year - 1, month + 12
    following = date(until.year + (until.month == 12), until.month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


DEMO_YEARS = range(2021, 2026)
DEMO_SHORT = last_months(13, date(2025, 12, 31))


# --- per day --------------------------------------------------------------------------------------

def _in_ranges(days: pd.DatetimeIndex, ranges) -> np.ndarray:
    """Per day, the index of the (first, last) range holding it, or -1."""
    out = np.full(len(days), -1)
    values = days.to_numpy()
    for i, (first, last, *_) in enumerate(ranges):
        out[(values >= np.datetime64(first)) & (values <= np.datetime64(last))] = i
    return out


def school_holidays(days: pd.DatetimeIndex, zone: str) -> np.ndarray:
    """Per day, the school holiday's name in that zone, or ""."""
    out = np.full(len(days), "", dtype=object)
    values = days.to_numpy()
    for name, first, back, zones in SCHOOL_HOLIDAYS:
        if zone in zones:
            out[(values >= np.datetime64(first)) & (values < np.datetime64(back))] = name
    return out


def _holidays(days: pd.DatetimeIndex) -> np.ndarray:
    found = set()
    for year in range(days[0].year, days[-1].year + 1):
        found |= set(public_holidays(year))
    return np.isin(days.date, sorted(found))


def _sales(days: pd.DatetimeIndex) -> np.ndarray:
    """Per day, the sales' day number (1 = first day), or 0."""
    out = np.zeros(len(days), dtype=int)
    values = days.to_numpy()
    for year in range(days[0].year, days[-1].year + 1):
        weeks = 6 if year < 2020 else 4
        for season in ("winter", "summer"):
            first = np.datetime64(sales_start(year, season))
            inside = (values >= first) & (values < first + np.timedelta64(7 * weeks, "D"))
            out[inside] = ((values[inside] - first) // np.timedelta64(1, "D")) + 1
    return out


def _christmas_market(days: pd.DatetimeIndex) -> np.ndarray:
    out = np.zeros(len(days), dtype=bool)
    for year in range(days[0].year, days[-1].year + 1):
        if year in CHRISTMAS_MARKET_CANCELLED:
            continue
        opening, closing = christmas_market(year)
        out |= (days.date >= opening) & (days.date <= closing) & (days.date != date(year, 12, 25))
    return out


def _covid(days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per day, the level against pre-Covid and the curfew hour (24: none)."""
    level = np.ones(len(days))
    curfew = np.full(len(days), 24)
    which = _in_ranges(days, COVID)
    for i, (_, _, factor, hour) in enumerate(COVID):
        level[which == i] = factor
        curfew[which == i] = hour or 24
    anchors = np.array([np.datetime64(d) for d, _ in RECOVERY]).astype("datetime64[D]").astype(float)
    after = days.to_numpy().astype("datetime64[D]") >= np.datetime64(RECOVERY[0][0])
    x = days.to_numpy().astype("datetime64[D]").astype(float)[after]
    level[after] = np.interp(x, anchors, [v for _, v in RECOVERY])
    return level, curfew
