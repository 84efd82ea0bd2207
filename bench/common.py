"""What the benchmark scripts share: a clean store, memory readings, percentiles, Dash's callback wiring."""

from __future__ import annotations

import json
import os
import time


def ensure_postgres_database(url: str) -> None:
    """Create the database of `url` if it does not exist (connecting to `postgres` on the same server)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).scalar():
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def reset_database(url: str) -> float:
    """Drop every table of the metadata and Alembic's, migrate and seed; the seconds it took."""
    from sqlalchemy import text

    from webapp.data import migrate
    from webapp.demo import seed
    from webapp.data.db import Database
    from webapp.data.tables import metadata

    began = time.perf_counter()
    db = Database(url)
    try:
        metadata.drop_all(db.engine)
        with db.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        migrate.upgrade(db)
        seed.seed(db)
    finally:
        db.dispose()
    return time.perf_counter() - began


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def hwm_mib() -> float:
    """This process's peak RSS (VmHWM), since its exec."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def split_output(output: str) -> list[dict]:
    """dash-renderer's output string ('..a.x...b.y..' for several) into {id, property} objects."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        out.append({"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop})
    return out
