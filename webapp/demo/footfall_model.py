"""The model of the demo footfall: the hourly timeline of a period (local hours, with the clock
changes), each point's expected passages per hour (profiles, calendar, Covid, markets, the Christmas
market, curfews), split among its channels, calibrated on the published figures, and the hourly counts
drawn from it (log-normal day and hour noise, then Poisson)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import numpy as np
import pandas as pd

from webapp.demo.footfall_calendar import (
    CITY_ZONE,
    MARKETS_SUSPENDED,
    _christmas_market,
    _covid,
    _holidays,
    _sales,
    school_holidays,
)
from webapp.demo.footfall_profiles import (
    CHRISTMAS_RAMP,
    CLOSED_DAYS,
    DAY_INDEX,
    MONDAY_MORNING,
    PROFILES,
)
from webapp.demo.footfall_sites import SITES, Site

TZ = "Europe/Paris"

PUBLISHED_MONTHLY = 1_750_000  # passages a month, March 2020 - January 2021 (press, Mytraffic)
PUBLISHED_SHARE = 0.76  # of the January-February 2020 level
PRE_COVID_MONTHLY = PUBLISHED_MONTHLY / PUBLISHED_SHARE  # about 2.30 M, January-February 2020

# Hourly effects (multipliers by local hour, levels) and the noise.
MARKET_HOURS = {7: 1.3, 8: 1.8, 9: 2.2, 10: 2.4, 11: 2.4, 12: 1.8, 13: 1.2}  # Saturday, at a market point
WEDNESDAY_MARKET = 0.6  # the Wednesday market against Saturday's
CHRISTMAS_HOURS = {11: 1.5, 12: 1.6, 13: 1.6, 14: 2.2, 15: 2.5, 16: 2.8, 17: 3.2, 18: 3.6, 19: 3.6, 20: 3.0}
CHRISTMAS_LATE = {21: 2.6, 22: 1.5}  # Friday and Saturday evenings
CURFEW_LEVEL = 0.15  # of the usual count, from the curfew hour to 6 h
NOISE = {"city": 0.07, "site": 0.05, "hour": 0.12}  # log-normal sigmas


# --- the model ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Timeline:
    first: date
    days: pd.DatetimeIndex  # local days
    labels: np.ndarray  # T + 1 local datetimes with their offset: hour starts, then the last end
    day: np.ndarray  # (T,) index of each hour's local day
    hour: np.ndarray  # (T,) local hour


def _timeline(first: date, last: date) -> _Timeline:
    start = pd.Timestamp(first).tz_localize(TZ).tz_convert("UTC")
    stop = pd.Timestamp(last + timedelta(days=1)).tz_localize(TZ).tz_convert("UTC")
    instants = pd.date_range(start, stop, freq="h")  # both ends: hour starts and the last hour's end
    local = instants.tz_convert(TZ).tz_localize(None)
    offset = ((local - instants.tz_localize(None)) // pd.Timedelta(minutes=1)).to_numpy()
    sign = np.where(offset < 0, "-", "+")
    hours = (np.abs(offset) // 60).astype(str)
    suffix = np.char.add(sign, np.char.zfill(hours, 2))
    labels = np.char.add(local.strftime("%Y-%m-%dT%H:%M:%S").to_numpy().astype(str), suffix)
    day = ((local.normalize() - pd.Timestamp(first)) // pd.Timedelta(days=1)).to_numpy()[:-1]
    return _Timeline(first, pd.date_range(first, last, freq="D"), labels, day, local.hour.to_numpy()[:-1])


def _by_hour(multipliers: dict[int, float]) -> np.ndarray:
    return np.array([multipliers.get(h, 1.0) for h in range(24)])


@dataclass(frozen=True)
class _Model:
    timeline: _Timeline
    sites: tuple[Site, ...]
    site_lambda: np.ndarray  # (T, S) expected passages
    channel_site: np.ndarray  # (C,) site index of each channel
    channel_share: np.ndarray  # (T, C) share of the site's passages on the channel


def _levels(seed: int) -> tuple[np.ndarray, list[float]]:
    """Each point's own level around its weight, and each two-way street's share of its first direction."""
    rng = random.Random(seed)
    levels = np.array([s.weight * rng.uniform(0.9, 1.1) for s in SITES])
    shares = [rng.uniform(0.45, 0.55) for _ in SITES]
    return levels, shares


@dataclass(frozen=True)
class _Days:
    """The calendar of each local day of a timeline, as (D,) arrays."""
    dow: np.ndarray  # weekday, Monday 0
    holiday: np.ndarray  # a public holiday
    day_type: np.ndarray  # the weekday, public holidays as Sundays (6)
    month: np.ndarray
    dom: np.ndarray  # day of the month
    summer: np.ndarray  # the summer school holidays (Arras's zone)
    short_break: np.ndarray  # the other school holidays
    sales: np.ndarray  # the sales' day number, or 0
    christmas: np.ndarray  # the Christmas market is open
    covid: np.ndarray  # level against pre-Covid
    curfew: np.ndarray  # curfew hour (24: none)
    weather: np.ndarray  # the mild weather season
    december: np.ndarray  # the Christmas shopping ramp and the days after Christmas
    closed: np.ndarray  # nearly everything is closed (CLOSED_DAYS)
    market_day: np.ndarray  # the market morning's strength (Saturday 1, Wednesday WEDNESDAY_MARKET, else 0)


def _december(month: np.ndarray, dom: np.ndarray) -> np.ndarray:
    """Per day, the Christmas shopping ramp up to the 23rd, the eve, and the quieter days after Christmas."""
    december = np.ones(len(month))
    before = (month == 12) & (dom <= 23)
    december[before] = CHRISTMAS_RAMP[0] + (CHRISTMAS_RAMP[1] - CHRISTMAS_RAMP[0]) * (dom[before] - 1) / 22
    december[(month == 12) & (dom == 24)] = 1.15
    december[(month == 12) & (dom >= 26)] = 0.95
    return december


def _market_days(days: pd.DatetimeIndex, dow: np.ndarray, holiday: np.ndarray) -> np.ndarray:
    """Per day, the market morning's strength: not on public holidays, nor while markets were suspended."""
    market_day = np.where(holiday, 0.0, np.where(dow == 5, 1.0, np.where(dow == 2, WEDNESDAY_MARKET, 0.0)))
    values = days.to_numpy()
    market_day[(values >= np.datetime64(MARKETS_SUSPENDED[0])) & (values <= np.datetime64(MARKETS_SUSPENDED[1]))] = 0
    return market_day


def _calendar(days: pd.DatetimeIndex) -> _Days:
    dow = days.day_of_week.to_numpy()
    holiday = _holidays(days)
    day_type = np.where(holiday, 6, dow)
    month, dom = days.month.to_numpy(), days.day.to_numpy()
    school = school_holidays(days, CITY_ZONE)
    summer = school == "Été"
    short_break = (school != "") & ~summer
    sales = _sales(days)
    christmas = _christmas_market(days)
    covid, curfew = _covid(days)
    doy = days.day_of_year.to_numpy()
    weather = 1 + 0.05 * np.cos(2 * np.pi * (doy - 196) / 365.25)
    december = _december(month, dom)
    closed = np.zeros(len(days), dtype=bool)
    for m, d in CLOSED_DAYS:
        closed |= (month == m) & (dom == d)
    market_day = _market_days(days, dow, holiday)
    return _Days(dow, holiday, day_type, month, dom, summer, short_break, sales, christmas, covid, curfew,
                 weather, december, closed, market_day)


def _day_factor(site: Site, c: _Days) -> np.ndarray:
    """Per day, a point's passages against its ordinary Tuesday-Thursday (its `level`)."""
    station = site.kind == "station"
    index = np.array(DAY_INDEX["station" if station else "shopping"])[c.day_type]
    f = index * c.covid * np.where(c.closed, 0.7, 1.0)
    if station:
        f = f * np.where(c.summer, 0.75, np.where(c.short_break, 0.85, 1.0))
    else:
        f = f * c.weather * c.december
        weekday = c.dow < 5
        if site.kind == "square":
            f = f * np.where((c.month == 7) | (c.month == 8), 1.2, 1.0)
            f = f * np.where(((c.month >= 4) & (c.month <= 6) | (c.month == 9)) & (c.dow >= 5), 1.1, 1.0)
        else:
            f = f * np.where(c.summer, 0.88, 1.0)
        f = f * np.where(c.short_break & weekday, 1.04, 1.0)
        boost = np.where(c.sales == 0, 1.0, np.where(c.sales <= 7, 1.15, 1.06))
        f = f * (boost if site.kind == "shopping" else 1 + (boost - 1) / 2)
    return f


def _daily(c: _Days, levels: np.ndarray) -> np.ndarray:
    """The (D, S) expected passages of each day and point."""
    n_days, n_sites = len(c.dow), len(SITES)
    daily = np.empty((n_days, n_sites))
    for j, site in enumerate(SITES):
        daily[:, j] = levels[j] * _day_factor(site, c)
    return daily


def _hourly(t: _Timeline, c: _Days, daily: np.ndarray) -> np.ndarray:
    """The (T, S) expected passages: each day's spread over its hours, with the hourly effects (Monday
    mornings, the evenings of the 24th and 31st, markets, the Christmas market, curfews)."""
    hour, day = t.hour, t.day
    dow, month, dom = c.dow, c.month, c.dom
    lam = daily[day]
    for j, site in enumerate(SITES):
        profile = PROFILES["station" if site.kind == "station" else "shopping"]
        lam[:, j] *= profile[c.day_type[day], hour]
    monday_morning = (dow[day] == 0) & ~c.holiday[day] & (hour < 14)
    kinds = np.array([s.kind for s in SITES])
    lam[np.ix_(monday_morning, kinds != "station")] *= MONDAY_MORNING
    eve = ((month[day] == 12) & ((dom[day] == 24) | (dom[day] == 31))) & (hour >= 18)
    lam[eve] *= 0.5
    market = np.array([s.market for s in SITES])
    boost = _by_hour(MARKET_HOURS)[hour]
    lam *= 1 + np.outer(c.market_day[day] * (boost - 1), market)
    xmas = np.array([s.christmas for s in SITES])
    late = (dow[day] == 4) | (dow[day] == 5)
    cboost = np.where(late, _by_hour(CHRISTMAS_HOURS | CHRISTMAS_LATE)[hour], _by_hour(CHRISTMAS_HOURS)[hour])
    lam *= 1 + np.outer(c.christmas[day] * (cboost - 1), xmas)
    lam[(hour >= c.curfew[day]) | ((c.curfew[day] < 24) & (hour < 6))] *= CURFEW_LEVEL
    return lam


def _channels(hour: np.ndarray, shares: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Each channel's site index, and the (T, C) share of its site's passages."""
    channel_site, share_columns = [], []
    for j, site in enumerate(SITES):
        n = max(len(site.directions), 1)
        if n == 1:
            channel_site.append(j)
            share_columns.append(np.ones(len(hour)))
            continue
        first_share = np.full(len(hour), shares[j])
        if site.kind == "station":  # towards the station in the evening, towards the centre in the morning
            first_share = np.where(hour < 12, 0.35, 0.62)
        channel_site += [j, j]
        share_columns += [first_share, 1 - first_share]
    return np.array(channel_site), np.column_stack(share_columns)


def _expected(first: date, last: date, seed: int) -> _Model:
    """The expected passages of each hour and point from `first` to `last`, and the points' channels."""
    t = _timeline(first, last)
    c = _calendar(t.days)
    levels, shares = _levels(seed)
    lam = _hourly(t, c, _daily(c, levels))
    channel_site, channel_share = _channels(t.hour, shares)
    return _Model(t, SITES, lam, channel_site, channel_share)


@cache
def _scale(seed: int) -> float:
    """Passages per model unit: January-February 2020 at the pre-Covid level of the published figures."""
    model = _expected(date(2020, 1, 1), date(2020, 2, 29), seed)
    return PRE_COVID_MONTHLY * 2 / model.site_lambda.sum()


def _counts(first: date, last: date, seed: int) -> tuple[_Model, np.ndarray]:
    """The model and the (T, C) hourly counts: each day from its own generator, seeded by (seed, day)."""
    model = _expected(first, last, seed)
    lam = model.site_lambda[:, model.channel_site] * model.channel_share * _scale(seed)
    t = model.timeline
    counts = np.empty(lam.shape, dtype=np.int64)
    bounds = np.searchsorted(t.day, np.arange(len(t.days) + 1))
    n_sites, n_channels = len(model.sites), lam.shape[1]
    s = NOISE
    for i, day in enumerate(t.days):
        rng = np.random.default_rng([seed, day.toordinal()])
        city = rng.lognormal(-s["city"] ** 2 / 2, s["city"])
        site = rng.lognormal(-s["site"] ** 2 / 2, s["site"], n_sites)[model.channel_site]
        hourly = rng.lognormal(-s["hour"] ** 2 / 2, s["hour"], (25, n_channels))
        a, b = bounds[i], bounds[i + 1]
        counts[a:b] = rng.poisson(lam[a:b] * city * site * hourly[: b - a])
    return model, counts
