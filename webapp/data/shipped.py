"""The files the site ships (`data/sources`): the catalogue that describes each dataset, and its wording."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection

from webapp.data import tables as t

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"


def load_catalogue(sources: Path = SOURCES) -> list[dict]:
    return json.loads((sources / "catalogue.json").read_text(encoding="utf-8"))["datasets"]


def wording(entry: dict, demo: bool) -> dict:
    """The catalogue's description of a dataset, with its `demo` wording while demo data is served."""
    row = {k: entry[k] for k in ("title_fr", "title_en", "description_fr", "description_en", "producer")}
    return row | (entry.get("demo", {}) if demo else {}) | {"is_demo": demo}


def describe(conn: Connection, slug: str, demo: bool) -> None:
    """Describe `slug` as demo or real data from now on (called when a publish changes which it serves)."""
    entry = next((e for e in load_catalogue() if e["slug"] == slug), None)
    values = wording(entry, demo) if entry else {"is_demo": demo}
    conn.execute(t.dataset.update().where(t.dataset.c.slug == slug).values(**values))
