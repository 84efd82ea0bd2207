"""Load the shipped official files (data/sources) into the store, through the importers."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from shapely.geometry import Point, shape
from sqlalchemy import Connection, delete, func, insert, select

from webapp.data import tables as t
from webapp.data.db import Database
from webapp.data.importers import schools as imp

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"


def load_catalogue(sources: Path = SOURCES) -> list[dict]:
    return json.loads((sources / "catalogue.json").read_text(encoding="utf-8"))["datasets"]


def source_files(slug: str, sources: Path = SOURCES) -> list[str]:
    """Names of the official files a shipped dataset was imported from."""
    for entry in load_catalogue(sources):
        if entry["slug"] == slug:
            return [Path(rel).name for rel in entry["files"].values()]
    return []


def source_path(slug: str, name: str, sources: Path = SOURCES) -> Path | None:
    """The shipped file `name` of dataset `slug`, or None (never a path outside data/sources)."""
    for entry in load_catalogue(sources):
        if entry["slug"] == slug:
            for rel in entry["files"].values():
                if Path(rel).name == name:
                    return sources / rel
    return None


def is_seeded(db: Database) -> bool:
    with db.engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(t.dataset)).scalar())


def seed(db: Database, sources: Path = SOURCES) -> dict[str, int]:
    """Import every shipped dataset in one transaction; returns rows written per table."""
    catalogue = load_catalogue(sources)
    files = {key: sources / rel for d in catalogue for key, rel in d["files"].items()}
    frames, read = build_frames(files)
    with db.begin() as conn:
        for table in (t.school_dnb, t.school_enrolment, t.school_ips, t.school, t.iris):
            conn.execute(delete(table))
        for name, df in frames.items():
            _insert(conn, t.metadata.tables[name], df)
        for entry in catalogue:
            _register(conn, entry, sources, sum(read[key] for key in entry["files"]))
    return {name: len(df) for name, df in frames.items()}


def build_frames(files: dict[str, Path]) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """Read the official files and assemble the curated tables (schools joined across sources).

    Returns the tables, and the number of records read from each file (for the revision log).
    """
    iris = imp.read_iris(files["iris"])
    ecoles, ips_ecoles = imp.read_ips_ecoles(files["ips_ecoles"])
    colleges = imp.read_colleges_geoloc(files["colleges_geoloc"])
    lycees, ips_lycees = imp.read_ips_lycees(files["ips_lycees"])
    dnb_2021, enrol_colleges, priority = imp.read_colleges_dnb_effectifs(files["colleges_dnb_effectifs"])
    dnb_va = imp.read_colleges_va(files["colleges_va"])
    rep = imp.read_rep_geojson(files["rep"])
    ips_colleges = imp.read_ips_colleges(files["ips_colleges"])
    lycees_enrolment = imp.read_lycees_effectifs(files["lycees_effectifs"])
    read = {
        "iris": len(iris), "ips_ecoles": len(ecoles), "colleges_geoloc": len(colleges),
        "ips_lycees": len(ips_lycees), "colleges_dnb_effectifs": len(priority), "colleges_va": len(dnb_va),
        "rep": len(rep), "ips_colleges": len(ips_colleges),
        "lycees_effectifs": len(lycees_enrolment) // len(imp.GRADES_LYCEE),
    }

    schools = pd.concat([ecoles, colleges, lycees], ignore_index=True).drop_duplicates("uai")
    schools = schools.set_index("uai")
    # Lycées have no coordinates of their own here: take the académie's file (public ones only).
    located = rep.set_index("uai")
    missing = schools["latitude"].isna() & schools.index.isin(located.index)
    schools.loc[missing, ["latitude", "longitude"]] = located.loc[schools.index[missing], ["latitude", "longitude"]].values
    status = pd.concat([priority.set_index("uai")["priority_education"], located["priority_education"]])
    status = status[~status.index.duplicated()]
    known = schools.index.isin(status.index) & schools["level"].ne("ecole")
    schools.loc[known, "priority_education"] = status.loc[schools.index[known]].values
    schools = schools.reset_index()
    schools["iris_code"] = assign_iris(schools, iris)

    uais = set(schools["uai"])
    ips = pd.concat([ips_ecoles, ips_colleges, ips_lycees])
    dnb = pd.concat([dnb_2021, dnb_va]).drop_duplicates(["uai", "session"])
    enrolment = pd.concat([enrol_colleges, lycees_enrolment])
    tables = {
        "iris": iris,
        "school": schools,
        "school_ips": ips[ips["uai"].isin(uais)].drop_duplicates(["uai", "year"]),
        "school_dnb": dnb[dnb["uai"].isin(uais)],
        "school_enrolment": enrolment[enrolment["uai"].isin(uais)].drop_duplicates(["uai", "year", "grade"]),
    }
    return tables, read


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


def _insert(conn: Connection, table, df: pd.DataFrame) -> None:
    cols = [c.name for c in table.columns]
    records = df[cols].astype(object).where(df[cols].notna(), None).to_dict("records")
    if records:
        conn.execute(insert(table), records)


def _register(conn: Connection, entry: dict, sources: Path, row_count: int) -> None:
    digest = hashlib.sha256()
    names = []
    for rel in entry["files"].values():
        digest.update((sources / rel).read_bytes())
        names.append(Path(rel).name)
    current = conn.execute(select(t.dataset.c.version).where(t.dataset.c.slug == entry["slug"])).scalar()
    version = (current or 0) + 1
    row = {k: entry[k] for k in (
        "slug", "title_fr", "title_en", "description_fr", "description_en", "theme", "producer",
        "licence", "licence_url", "source_url", "frequency", "coverage",
    )}
    row |= {"last_update": date.fromisoformat(entry["last_update"]), "version": version,
            "is_demo": bool(entry.get("is_demo", False))}
    if current is None:
        conn.execute(insert(t.dataset), row)
    else:
        conn.execute(t.dataset.update().where(t.dataset.c.slug == entry["slug"]).values(**row))
    conn.execute(insert(t.dataset_version), {
        "dataset_slug": entry["slug"], "version": version,
        "published_at": datetime.now(UTC), "published_by": "seed",
        "file_name": ", ".join(names), "sha256": digest.hexdigest(),
        "row_count": row_count, "note": "Import des fichiers officiels fournis avec le site.",
    })
