"""Queries of the citizen reports story: each reads rollup rows computed when the export was published."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from webapp.data import reports_tables as tb
from webapp.data.groups import Group, catalogue_min_count
from webapp.data.importers import reports as importers
from webapp.data.db import Database

DATASETS = ("signalements", "iris-contours")


@dataclass(frozen=True)
class ReportFilter:
    """The story's filters, validated (see `webapp.charts.reports.parse_filters`)."""

    category: str | None = None  # None: every category
    year_from: int | None = None  # None: the first year of the file
    year_to: int | None = None

    def key(self) -> list:
        return [self.category, self.year_from, self.year_to]

    def only(self, *names: str) -> ReportFilter:
        """The same filter with every other field at its default (views cached once per what they read)."""
        defaults = ReportFilter()
        return replace(self, **{f.name: getattr(defaults, f.name) for f in fields(self) if f.name not in names})

    @property
    def months(self) -> tuple[str, str]:
        """The first and last month of the years chosen (YYYY-MM)."""
        return f"{self.year_from}-01", f"{self.year_to}-12"


def query_years(db: Database, build: int) -> list[int]:
    """The years the file covers (of its months, from the first report to the export)."""
    df = db.query_df("SELECT MIN(month) AS first, MAX(month) AS last FROM reports_monthly WHERE build_id = :build",
                     {"build": build})
    if df.empty or df["first"].isna().all():
        return []
    return list(range(int(df["first"].iloc[0][:4]), int(df["last"].iloc[0][:4]) + 1))


def query_monthly(db: Database, build: int, first: str, last: str) -> pd.DataFrame:
    """Reports made, closed and rejected per month and category between two months (YYYY-MM)."""
    return db.query_df("SELECT month, category, created, closed, rejected FROM reports_monthly WHERE build_id = :build "
                       "AND month BETWEEN :first AND :last ORDER BY month, category",
                       {"build": build, "first": first, "last": last})


def query_resolution(db: Database, build: int, first: str, last: str) -> pd.DataFrame:
    """Reports resolved and median days per month of closing and category ("" for all categories)."""
    return db.query_df("SELECT month, category, resolved, median_days FROM reports_resolution WHERE build_id = :build "
                       "AND month BETWEEN :first AND :last ORDER BY month, category",
                       {"build": build, "first": first, "last": last})


def query_resolution_span(db: Database, build: int, year_from: int, year_to: int) -> pd.DataFrame:
    """Reports resolved and median days per category ("" for all) over years of closing."""
    return db.query_df("SELECT category, resolved, median_days FROM reports_resolution_span WHERE build_id = :build "
                       "AND year_from = :year_from AND year_to = :year_to ORDER BY category",
                       {"build": build, "year_from": year_from, "year_to": year_to})


def query_speed(db: Database, build: int, first: str, last: str) -> pd.DataFrame:
    """Per month of creation and category: reports not rejected, resolved within 7 and 30 days (NULL: not final)."""
    return db.query_df("SELECT month, category, reports, within_7, within_30 FROM reports_speed WHERE build_id = :build "
                       "AND month BETWEEN :first AND :last ORDER BY month, category",
                       {"build": build, "first": first, "last": last})


def query_iris_counts(db: Database, build: int, year_from: int, year_to: int) -> pd.DataFrame:
    """Reports per IRIS and category summed over years of creation (only the published counts)."""
    return db.query_df("SELECT iris_code, category, SUM(reports) AS reports, COUNT(*) AS years FROM reports_iris "
                       "WHERE build_id = :build AND year BETWEEN :year_from AND :year_to "
                       "GROUP BY iris_code, category ORDER BY iris_code, category",
                       {"build": build, "year_from": year_from, "year_to": year_to})


GROUP = Group(
    "signalements",
    ("signalements", "iris-contours"),
    (tb.reports_monthly, tb.reports_resolution, tb.reports_resolution_span, tb.reports_speed, tb.reports_iris),
    lambda sources: importers.build_tables(sources, minimum=catalogue_min_count("signalements")),
)
CHECKS = {"signalements": ("iris-contours", lambda table, iris: [*importers.report_problems(table),
                                                                  *importers.location_problems(table, iris)])}
