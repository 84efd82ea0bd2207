"""Queries of the footfall story: each reads rollup rows computed when the files were published."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

import pandas as pd

from webapp.data import footfall_tables as tb
from webapp.data.groups import Group, catalogue_min_count
from webapp.data.importers import footfall as importers
from webapp.data.db import Database

DATASETS = ("comptage-sites", "comptage-canaux", "comptage-mesures", "flux-vision")
CATEGORIES = ("resident", "excursionist", "tourist")
ALL = "tous"


@dataclass(frozen=True)
class FootfallFilter:
    """The footfall story's filters, validated (see `webapp.charts.footfall.parse_filters`)."""

    point: str | None = None  # a counting point's site_id; None: all points
    first: str | None = None  # first month, YYYY-MM; None: the first of the data
    last: str | None = None  # last month, YYYY-MM
    zone: str | None = None  # a Flux Vision zone; None: every zone
    category: str | None = None  # resident | excursionist | tourist; None: all visitors
    event: str | None = None  # an event's key, or "du:au" for a range of days

    def key(self) -> list:
        return [self.point, self.first, self.last, self.zone, self.category, self.event]

    def only(self, *names: str) -> FootfallFilter:
        """The same filter with every other field at its default (views cached once per what they read)."""
        defaults = FootfallFilter()
        return replace(self, **{f.name: getattr(defaults, f.name) for f in fields(self) if f.name not in names})


def month_bounds(first: str, last: str) -> tuple[date, date]:
    """('2024-12', '2025-02') -> (1 December 2024, 28 February 2025)."""
    start = date.fromisoformat(first + "-01")
    end = (pd.Timestamp(last + "-01") + pd.offsets.MonthEnd(0)).date()
    return start, end


def query_points(db: Database, build: int) -> pd.DataFrame:
    return db.query_df("SELECT site_id, name, longitude, latitude FROM footfall_point WHERE build_id = :build "
                       "ORDER BY name", {"build": build})


def query_months(db: Database, build: int) -> list[str]:
    """The months counted (YYYY-MM), in order."""
    df = db.query_df("SELECT DISTINCT month FROM footfall_hourly WHERE build_id = :build AND site_id = '' "
                     "ORDER BY month", {"build": build})
    return df["month"].tolist()


def query_daily(db: Database, build: int, point: str, start: date, end: date) -> pd.DataFrame:
    df = db.query_df(
        "SELECT day, passages, avg7, last_year FROM footfall_daily WHERE build_id = :build AND site_id = :site "
        "AND day BETWEEN :start AND :end ORDER BY day",
        {"build": build, "site": point, "start": start, "end": end},
    )
    df["day"] = pd.to_datetime(df["day"])
    return df


def query_week_profile(db: Database, build: int, point: str, first: str, last: str) -> pd.DataFrame:
    """Mean passages per day for each weekday and hour over the months (weekday 0 = Monday)."""
    return db.query_df(
        "SELECT weekday, hour, SUM(passages) AS passages, SUM(days) AS days FROM footfall_hourly "
        "WHERE build_id = :build AND site_id = :site AND month BETWEEN :first AND :last "
        "GROUP BY weekday, hour ORDER BY weekday, hour",
        {"build": build, "site": point, "first": first, "last": last},
    )


def query_point_totals(db: Database, build: int, start: date, end: date) -> pd.DataFrame:
    """Passages of each point over the days, with the days fully counted."""
    return db.query_df(
        "SELECT p.site_id, p.name, p.longitude, p.latitude, SUM(d.passages) AS passages, COUNT(d.passages) AS days "
        "FROM footfall_point p JOIN footfall_daily d ON d.build_id = p.build_id AND d.site_id = p.site_id "
        "WHERE p.build_id = :build AND d.day BETWEEN :start AND :end "
        "GROUP BY p.site_id, p.name, p.longitude, p.latitude ORDER BY passages DESC",
        {"build": build, "start": start, "end": end},
    )


def query_monthly(db: Database, build: int, point: str) -> pd.DataFrame:
    """Passages per month of a point (or all points), every month of the data."""
    return db.query_df(
        "SELECT month, SUM(passages) AS passages FROM footfall_hourly WHERE build_id = :build AND site_id = :site "
        "GROUP BY month ORDER BY month", {"build": build, "site": point})


def query_zones(db: Database, build: int) -> list[str]:
    df = db.query_df("SELECT DISTINCT zone FROM footfall_visitors WHERE build_id = :build ORDER BY zone",
                     {"build": build})
    return df["zone"].tolist()


def query_visitors(db: Database, build: int, zone: str | None, first: str, last: str) -> pd.DataFrame:
    """Visitors per month and category (one zone, or every zone summed)."""
    return db.query_df(
        "SELECT month, category, SUM(volume) AS volume FROM footfall_visitors WHERE build_id = :build "
        f"{'AND zone = :zone ' if zone else ''}AND month BETWEEN :first AND :last "
        "GROUP BY month, category ORDER BY month, category",
        {"build": build, "zone": zone, "first": first, "last": last},
    )


def query_origins(db: Database, build: int, zone: str | None, first: str, last: str) -> pd.DataFrame:
    """Visitors by département of origin over the months (the stored rows are never below the minimum)."""
    return db.query_df(
        "SELECT origin, SUM(volume) AS volume FROM footfall_origin WHERE build_id = :build AND level = 'department' "
        f"{'AND zone = :zone ' if zone else ''}AND month BETWEEN :first AND :last GROUP BY origin ORDER BY volume DESC",
        {"build": build, "zone": zone, "first": first, "last": last},
    )


GROUP = Group(
    "frequentation",
    ("comptage-sites", "comptage-canaux", "comptage-mesures", "flux-vision"),
    (tb.footfall_point, tb.footfall_daily, tb.footfall_hourly, tb.footfall_visitors, tb.footfall_origin),
    lambda sources: importers.build_tables(sources, minimum=catalogue_min_count("flux-vision")),
)
# Checks across files: slug -> (the dataset checked against, or None; its problems given that table).
CHECKS = {
    "comptage-mesures": ("comptage-canaux", lambda table, channels: importers.measure_problems(
        table, importers.read_counter_channels(channels))),
    "comptage-canaux": ("comptage-sites", lambda table, sites: importers.channel_problems(
        table, importers.read_counter_sites(sites))),
    "flux-vision": (None, lambda table, _: importers.flux_vision_problems(table)),
}
