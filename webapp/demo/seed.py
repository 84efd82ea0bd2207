"""Load the shipped official files (data/sources) into the store, through the editor's import path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Connection, insert, select

from webapp.data import publishing
from webapp.data import tables as t
from webapp.data.db import Database
from webapp.data.shipped import SOURCES, load_catalogue, wording



def unserved(db: Database, sources: Path = SOURCES) -> list[str]:
    """The catalogue's datasets that serve no version yet (all of them in a new store; a new story's
    datasets after an upgrade)."""
    with db.engine.connect() as conn:
        served = {r.slug for r in conn.execute(select(t.dataset.c.slug).where(t.dataset.c.version > 0))}
    return [e["slug"] for e in load_catalogue(sources) if e["slug"] not in served]


def seed(db: Database, sources: Path = SOURCES, only: list[str] | None = None) -> dict[str, int]:
    """Import every shipped file (or those of the datasets in `only`) as a new version of its dataset,
    and publish them all at once.

    Each file goes through the editor's path (`webapp.data.publishing`): validated against its
    schema, kept, and published in one transaction. Returns the rows of each dataset's file.
    """
    catalogue = [e for e in load_catalogue(sources) if only is None or e["slug"] in only]
    if not catalogue:
        return {}
    with db.begin() as conn:
        for entry in catalogue:
            _register(conn, entry)
    staged = {}
    generated = Generated()
    for entry in catalogue:
        if "generated" in entry:  # demo data too large to ship: made here, the same bytes every time
            content, name = generated.file(entry["generated"])
            note = "Données de démonstration générées par le site (webapp/demo/footfall.py)."
        else:
            (rel,) = entry["files"].values()
            content, name = (sources / rel).read_bytes(), (sources / rel).name
            note = "Import des fichiers officiels fournis avec le site."
        staged[entry["slug"]] = publishing.stage(
            db, entry["slug"], content, name, "seed", note=note, build=False,
            coverage=entry["coverage"], source_date=date.fromisoformat(entry["last_update"]),
            is_demo=bool(entry.get("is_demo", False)),
        )
    publishing.publish(db, {slug: s.version for slug, s in staged.items()}, "seed")
    return {slug: s.row_count for slug, s in staged.items()}


class Generated:
    """The demo files the catalogue marks `generated`, made once per seeding (the counters' three
    files come from one run of the generator)."""

    def __init__(self, period=None) -> None:
        from webapp.demo import footfall as demo_footfall

        self.period = period or demo_footfall.DEMO_SHORT
        self._counters: dict[str, bytes] | None = None

    def file(self, part: str) -> tuple[bytes, str]:
        from webapp.demo import footfall as demo_footfall

        first, last = demo_footfall.period_bounds(self.period)
        span = f"{first:%Y-%m}-{last:%Y-%m}"
        if part == "flux-vision":
            return demo_footfall.flux_vision(self.period), f"demo-flux-vision-arras-{span}.csv"
        if self._counters is None:
            self._counters = demo_footfall.counters(self.period)
        return self._counters[part], f"demo-comptage-{part}-arras-{span}.csv"


def _register(conn: Connection, entry: dict) -> None:
    """Insert or update a dataset's description from the catalogue (its served version unchanged)."""
    row = {k: entry[k] for k in ("slug", "theme", "licence", "licence_url", "source_url", "frequency", "coverage")}
    row |= wording(entry, bool(entry.get("is_demo", False)))
    row |= {"last_update": date.fromisoformat(entry["last_update"]), "min_count": entry.get("min_count")}
    exists = conn.execute(select(t.dataset.c.slug).where(t.dataset.c.slug == entry["slug"])).first()
    if exists:
        conn.execute(t.dataset.update().where(t.dataset.c.slug == entry["slug"]).values(**row))
    else:
        conn.execute(insert(t.dataset).values(**row, version=0))
