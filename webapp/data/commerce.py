"""Queries of the commerce observatory: each reads rollup rows computed when the files were published."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields, replace
from datetime import date

import pandas as pd

from webapp.data import commerce_tables as tb
from webapp.data.groups import Group
from webapp.data.importers import commerce as importers
from webapp.data.db import Database

DATASETS = ("commerces", "sirene-etablissements", "comptage-sites")
# The perimeters a chart can show: the whole town, the hypercentre's IRIS (a setting), the rest.
TOWN, HYPERCENTRE, REST = "commune", "hypercentre", "hors-hypercentre"
PERIMETERS = (TOWN, HYPERCENTRE, REST)


@dataclass(frozen=True)
class CommerceFilter:
    """The observatory's filters, validated (see `webapp.charts.commerce.parse_filters`)."""

    year: int | None = None  # the year-end shown by the map, the mix and the footfall comparison
    perimeter: str = TOWN

    def key(self) -> list:
        return [self.year, self.perimeter]

    def only(self, *names: str) -> CommerceFilter:
        """The same filter with every other field at its default (views cached once per what they read)."""
        defaults = CommerceFilter()
        return replace(self, **{f.name: getattr(defaults, f.name) for f in fields(self) if f.name not in names})


def in_perimeter(codes: pd.Series, perimeter: str, hypercentre: Collection[str]) -> pd.Series:
    """Which IRIS codes belong to the perimeter."""
    inside = codes.isin(set(hypercentre))
    return inside if perimeter == HYPERCENTRE else ~inside if perimeter == REST else pd.Series(True, index=codes.index)


def query_years(db: Database, build: int) -> list[int]:
    df = db.query_df("SELECT DISTINCT year FROM commerce_stock WHERE build_id = :build ORDER BY year", {"build": build})
    return [int(y) for y in df["year"]]


def query_stock(db: Database, build: int) -> pd.DataFrame:
    """Units, vacant units, openings and closures per year and IRIS (a few hundred rows)."""
    return db.query_df("SELECT year, iris_code, units, vacant, openings, closures FROM commerce_stock "
                       "WHERE build_id = :build ORDER BY year, iris_code", {"build": build})


def query_mix(db: Database, build: int, year: int) -> pd.DataFrame:
    return db.query_df("SELECT iris_code, category, businesses, independents FROM commerce_mix "
                       "WHERE build_id = :build AND year = :year", {"build": build, "year": year})


def query_units(db: Database, build: int, year: int) -> pd.DataFrame:
    """Every unit's state at the year-end."""
    return db.query_df(
        "SELECT unit_id, vacant, street_number, street, iris_code, longitude, latitude, category, independent, name "
        "FROM commerce_unit WHERE build_id = :build AND year = :year ORDER BY unit_id", {"build": build, "year": year})


def query_sirene(db: Database, build: int) -> pd.DataFrame:
    return db.query_df("SELECT year, category, created, closed, active FROM commerce_sirene WHERE build_id = :build "
                       "ORDER BY year, category", {"build": build})


def query_point_vacancy(db: Database, build: int, year: int) -> pd.DataFrame:
    """Units and vacant units within 150 m of each counting point at the year-end."""
    return db.query_df("SELECT site_id, units, vacant FROM commerce_point WHERE build_id = :build AND year = :year",
                       {"build": build, "year": year})


def query_point_passages(db: Database, footfall_build: int, start: date, end: date) -> pd.DataFrame:
    """Each counting point's name, passages and counted days between two dates (footfall rollups)."""
    return db.query_df(
        "SELECT p.site_id, p.name, SUM(d.passages) AS passages, COUNT(d.passages) AS days "
        "FROM footfall_point p JOIN footfall_daily d ON d.build_id = p.build_id AND d.site_id = p.site_id "
        "WHERE p.build_id = :build AND d.day BETWEEN :start AND :end GROUP BY p.site_id, p.name",
        {"build": footfall_build, "start": start, "end": end})


def query_counted_span(db: Database, footfall_build: int, start: date, end: date) -> tuple[date, date]:
    """The first and last days with a count of all points together between two dates."""
    df = db.query_df("SELECT MIN(day) AS first, MAX(day) AS last FROM footfall_daily WHERE build_id = :build "
                     "AND site_id = '' AND passages IS NOT NULL AND day BETWEEN :start AND :end",
                     {"build": footfall_build, "start": start, "end": end})
    return pd.Timestamp(df["first"].iloc[0]).date(), pd.Timestamp(df["last"].iloc[0]).date()


GROUP = Group(
    "commerces",
    ("commerces", "sirene-etablissements", "comptage-sites"),
    (tb.commerce_unit, tb.commerce_stock, tb.commerce_mix, tb.commerce_point, tb.commerce_sirene),
    importers.build_tables,
)
CHECKS = {"commerces": (None, lambda table, _: importers.inventory_problems(table))}
