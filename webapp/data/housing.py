"""Queries of the housing story: each reads a few rows of the tables computed when publishing."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from webapp.data import housing_tables as tb
from webapp.data.groups import Group
from webapp.data.importers import housing as importers
from webapp.data.db import Database

TYPES = ("appartement", "maison")
BOTH = "tous"
INDICATORS = ("prix", "ventes", "vacance", "hlm", "revenu")

DATASETS = ("dvf", "dvf-departements", "logement-iris", "revenus-iris", "iris-contours")


@dataclass(frozen=True)
class HousingFilter:
    """The housing story's filters, already validated (see `webapp.charts.housing.parse_filters`)."""

    dwelling_type: str = BOTH  # appartement | maison | tous
    year_from: int | None = None  # None: the first year of the sales file
    year_to: int | None = None  # None: its last year
    iris: str | None = None  # None: the whole town
    indicator: str = "prix"

    def key(self) -> list:
        return [self.dwelling_type, self.year_from, self.year_to, self.iris, self.indicator]

    def only(self, *names: str) -> HousingFilter:
        """The same filter with every other field at its default: a view that ignores a filter is
        then cached once for all its values."""
        defaults = HousingFilter()
        return replace(self, **{f.name: getattr(defaults, f.name) for f in fields(self) if f.name not in names})


def query_years(db: Database, build: int, commune: str) -> tuple[int, int] | None:
    """The first and last year of the town's sales, or None without any sale."""
    row = db.query_df(
        "SELECT MIN(year_from) AS first, MAX(year_to) AS last FROM housing_price "
        "WHERE build_id = :build AND commune_code = :commune",
        {"build": build, "commune": commune},
    )
    if row.empty or pd.isna(row["first"].iloc[0]):
        return None
    return int(row["first"].iloc[0]), int(row["last"].iloc[0])


def query_yearly(db: Database, build: int, commune: str, iris: str, first: int, last: int) -> pd.DataFrame:
    """Per year and dwelling type (both types as "tous"): sales and median price per m², of the town
    (iris "") or of one IRIS."""
    return db.query_df(
        """
        SELECT year_from AS year, dwelling_type, sales, priced, median_price_m2, q1_price_m2, q3_price_m2
        FROM housing_price
        WHERE build_id = :build AND commune_code = :commune AND iris_code = :iris
          AND year_from = year_to AND year_from BETWEEN :first AND :last
        ORDER BY dwelling_type, year_from
        """,
        {"build": build, "commune": commune, "iris": iris, "first": first, "last": last},
    )


def query_span(db: Database, build: int, commune: str, dwelling_type: str, first: int, last: int) -> pd.DataFrame:
    """Sales and median price per m² over the span of years, for the town (iris_code "") and each IRIS."""
    return db.query_df(
        """
        SELECT iris_code, sales, priced, median_price_m2, q1_price_m2, q3_price_m2
        FROM housing_price
        WHERE build_id = :build AND commune_code = :commune AND dwelling_type = :type
          AND year_from = :first AND year_to = :last
        """,
        {"build": build, "commune": commune, "type": dwelling_type, "first": first, "last": last},
    )


def query_reference(db: Database, build: int, department: str, first: int, last: int) -> pd.DataFrame:
    """The département's published quarterly medians over the years."""
    df = db.query_df(
        """
        SELECT quarter_start, dwelling_type, median_price_m2, sales FROM housing_reference
        WHERE build_id = :build AND department = :dep
        ORDER BY dwelling_type, quarter_start
        """,
        {"build": build, "dep": department},
    )
    df["quarter_start"] = pd.to_datetime(df["quarter_start"])
    years = df["quarter_start"].dt.year
    return df[(years >= first) & (years <= last)].reset_index(drop=True)


def query_stock(db: Database, build: int, commune: str) -> pd.DataFrame:
    """Census dwellings of each IRIS of the town, with its Filosofi income."""
    return db.query_df(
        """
        SELECT s.iris_code, s.year, s.dwellings, s.main_homes, s.second_homes, s.vacant, s.houses, s.flats,
               s.owners, s.tenants, s.social_tenants,
               i.year AS income_year, i.median_income, i.low_income_rate
        FROM housing_stock s
        LEFT JOIN housing_income i ON i.build_id = :build AND i.iris_code = s.iris_code
        WHERE s.build_id = :build AND s.commune_code = :commune
        ORDER BY s.iris_code
        """,
        {"build": build, "commune": commune},
    )


def query_income(db: Database, build: int, commune: str) -> pd.DataFrame:
    """Filosofi income of each IRIS of the town (also those without census rows)."""
    return db.query_df(
        "SELECT iris_code, year, median_income, low_income_rate FROM housing_income "
        "WHERE build_id = :build AND commune_code = :commune ORDER BY iris_code",
        {"build": build, "commune": commune},
    )


GROUP = Group(
    "logement",
    ("iris-contours", "dvf", "dvf-departements", "logement-iris", "revenus-iris"),
    (tb.housing_price, tb.housing_reference, tb.housing_stock, tb.housing_income),
    importers.build_tables,
)
