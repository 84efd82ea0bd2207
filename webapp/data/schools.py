"""Queries of the schools story: DataFrames in, bound parameters only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from webapp.data import schools_tables as tb
from webapp.data.groups import Group
from webapp.data.importers import schools as importers
from webapp.data.db import Database, in_list

LEVELS = ("ecole", "college", "lycee")
SECTORS = ("public", "prive")

DATASETS_DIRECTORY = ("ecoles-ips", "colleges-annuaire", "lycees-ips", "colleges-dnb-effectifs",
                      "etablissements-education-prioritaire", "iris-contours")


@dataclass(frozen=True)
class SchoolFilter:
    """The schools story's filters, already validated (see `webapp.layouts.schools.parse_filters`)."""

    levels: tuple[str, ...] = LEVELS
    sector: str | None = None  # None: both sectors
    iris: str | None = None  # None: the whole town

    def key(self) -> list:
        return [list(self.levels), self.sector, self.iris]


def _where(f: SchoolFilter, build: int, commune: str, alias: str = "s") -> tuple[str, dict]:
    levels_sql, params = in_list("lvl", list(f.levels))
    clauses = [f"{alias}.build_id = :build", f"{alias}.commune_code = :commune", f"{alias}.level IN {levels_sql}"]
    params["commune"] = commune
    params["build"] = build
    if f.sector:
        clauses.append(f"{alias}.sector = :sector")
        params["sector"] = f.sector
    if f.iris:
        clauses.append(f"{alias}.iris_code = :iris")
        params["iris"] = f.iris
    return " AND ".join(clauses), params


def query_schools(db: Database, build: int, commune: str, f: SchoolFilter) -> pd.DataFrame:
    """Schools of the commune matching the filter, with their latest IPS and quartier name."""
    where, params = _where(f, build, commune)
    return db.query_df(
        f"""
        SELECT s.uai, s.name, s.level, s.sector, s.lycee_type, s.priority_education,
               s.latitude, s.longitude, s.iris_code, s.iris_name,
               ips.year AS ips_year, ips.ips
        FROM school s
        LEFT JOIN school_ips ips ON ips.build_id = s.build_id AND ips.uai = s.uai
             AND ips.year = (SELECT MAX(year) FROM school_ips x WHERE x.build_id = s.build_id AND x.uai = s.uai)
        WHERE {where}
        ORDER BY s.level, s.name
        """,
        params,
    )


def query_ips_reference(db: Database, build: int, department: str) -> pd.DataFrame:
    """Mean IPS of the département's schools per level and year (unweighted mean of schools)."""
    return db.query_df(
        """
        SELECT level, year, ips, schools FROM school_ips_reference
        WHERE build_id = :build AND department = :dep
        ORDER BY level, year
        """,
        {"dep": department, "build": build},
    )


def query_ips_history(db: Database, build: int, commune: str, f: SchoolFilter) -> pd.DataFrame:
    """IPS per school and year for the filtered schools (lycées have several years)."""
    where, params = _where(f, build, commune)
    return db.query_df(
        f"""
        SELECT s.uai, s.name, s.level, s.sector, ips.year, ips.ips
        FROM school_ips ips JOIN school s ON s.build_id = ips.build_id AND s.uai = ips.uai
        WHERE {where}
        ORDER BY s.name, ips.year
        """,
        params,
    )


def query_enrolment(db: Database, build: int, commune: str, f: SchoolFilter) -> pd.DataFrame:
    """Pupils per school and year (sum of grades), for the filtered schools."""
    where, params = _where(f, build, commune)
    return db.query_df(
        f"""
        SELECT s.uai, s.name, s.level, s.sector, e.year, SUM(e.pupils) AS pupils
        FROM school_enrolment e JOIN school s ON s.build_id = e.build_id AND s.uai = e.uai
        WHERE {where}
        GROUP BY s.uai, s.name, s.level, s.sector, e.year
        ORDER BY s.level, s.name, e.year
        """,
        params,
    )


def query_dnb(db: Database, build: int, commune: str, f: SchoolFilter) -> pd.DataFrame:
    """Brevet candidates and success rate per collège and session, for the filtered collèges."""
    where, params = _where(f, build, commune)
    return db.query_df(
        f"""
        SELECT s.uai, s.name, s.sector, d.session, d.candidates, d.success_rate, d.value_added
        FROM school_dnb d JOIN school s ON s.build_id = d.build_id AND s.uai = d.uai
        WHERE {where}
        ORDER BY s.name, d.session
        """,
        params,
    )


def query_dnb_reference(db: Database, build: int, department: str) -> pd.DataFrame:
    """The département's brevet success rate per session, weighted by candidates."""
    return db.query_df(
        """
        SELECT session, candidates, success_rate FROM school_dnb_reference
        WHERE build_id = :build AND department = :dep
        ORDER BY session
        """,
        {"dep": department, "build": build},
    )


GROUP = Group(
    "ecoles",
    ("iris-contours", "ecoles-ips", "colleges-annuaire", "colleges-ips", "colleges-dnb-effectifs",
     "colleges-valeur-ajoutee", "lycees-ips", "lycees-effectifs", "etablissements-education-prioritaire"),
    (tb.school, tb.school_ips, tb.school_enrolment, tb.school_dnb, tb.school_ips_reference, tb.school_dnb_reference),
    importers.build_tables,
)
