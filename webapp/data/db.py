"""The one place that opens database connections: views and callbacks go through `Database`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection


class Database:
    """A SQLAlchemy engine with helpers that return DataFrames and take bound parameters only."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = _make_engine(url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def query_df(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run a read query with bound parameters and return its rows as a DataFrame."""
        with self.engine.connect() as conn:
            result = conn.execute(text(sql), dict(params or {}))
            # Plain tuples: pandas reads SQLAlchemy's Row objects one by one, about 20 times slower.
            return pd.DataFrame([tuple(row) for row in result.fetchall()], columns=list(result.keys()))

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), dict(params or {})).scalar()

    def begin(self) -> Any:
        """A transaction: `with db.begin() as conn: ...` commits on success, rolls back on error."""
        return self.engine.begin()

    def dispose(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    sqlite = url.startswith("sqlite")
    # SQLite has one writer at a time: a sign-in waits for a long publish instead of failing.
    engine = create_engine(url, pool_pre_ping=not sqlite, connect_args={"timeout": 60} if sqlite else {})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers (gunicorn workers) go on while an import writes.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def in_list(name: str, values: list[Any]) -> tuple[str, dict[str, Any]]:
    """SQL for `IN (...)` with one bound parameter per value: ('(:p0, :p1)', {'p0': .., 'p1': ..})."""
    params = {f"{name}{i}": v for i, v in enumerate(values)}
    placeholders = ", ".join(f":{k}" for k in params) or "NULL"
    return f"({placeholders})", params


__all__ = ["Connection", "Database", "in_list"]
