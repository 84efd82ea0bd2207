"""Geography: the town's IRIS (quartiers) outlines, a dataset group and build of their own, read by every map.

The IRIS outlines (IGN/INSEE, GeoJSON) are published as the dataset `iris-contours`; the group
`geographie` keeps them as the `iris` table. Stories place their points in an IRIS with
`assign_iris` at their own build, and draw the outlines from the geography build.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from shapely.geometry import Point, shape

from webapp.data import geography_tables
from webapp.data.db import Database
from webapp.data.groups import Group
from webapp.data.tabular import read_source

DATASETS = ("iris-contours",)
GROUP = "geographie"
Source = Path | pd.DataFrame


def read_iris(source: Source) -> pd.DataFrame:
    """IGN/INSEE IRIS outlines (GeoJSON): code, name, commune, geometry as GeoJSON text."""
    df = read_source(source)
    return pd.DataFrame({
        "code": df["CODE_IRIS"], "name": df["NOM_IRIS"], "commune_code": df["INSEE_COM"], "geometry": df["geometry"],
    })


# --- the curated tables ------------------------------------------------------------------------


def department_of(commune_code: str) -> str:
    """'62041' -> '62'; overseas communes have three-digit départements ('97411' -> '974')."""
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


def assign_iris(schools: pd.DataFrame, iris: pd.DataFrame) -> list[str | None]:
    """The IRIS containing each located school of a commune whose IRIS outlines are loaded."""
    polygons = [(row.code, row.commune_code, shape(json.loads(row.geometry))) for row in iris.itertuples()]
    codes: list[str | None] = []
    for row in schools.itertuples():
        code = None
        if pd.notna(row.latitude):
            point = Point(row.longitude, row.latitude)
            code = next((c for c, com, poly in polygons if com == row.commune_code and poly.covers(point)), None)
        codes.append(code)
    return codes


def build_tables(sources: Mapping[str, Source]) -> dict[str, pd.DataFrame]:
    """The geography group's table: every IRIS of the published outlines."""
    return {"iris": read_iris(sources["iris-contours"])}


def query_iris(db: Database, build: int, commune: str) -> pd.DataFrame:
    """The commune's IRIS: code, name, GeoJSON geometry."""
    return db.query_df(
        "SELECT code, name, geometry FROM iris WHERE build_id = :build AND commune_code = :commune ORDER BY name",
        {"commune": commune, "build": build},
    )


GROUP_DEF = Group(GROUP, DATASETS, (geography_tables.iris,), build_tables)
