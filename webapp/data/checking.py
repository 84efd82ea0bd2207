"""Checking a file before it becomes a version: its schema, the checks across files, what changed.

A file is read (`webapp.data.tabular`), validated against its Table Schema (`webapp.data.schema`),
then checked against the other datasets it depends on (each story's `CHECKS`); `diff` and
`coverage_of` say what a new version changes and covers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from webapp.data.schema import Problem, Report, Schema, load_schema, validate, with_problems
from webapp.data.tabular import Unreadable, read_table
from webapp.stories import modules

SAMPLE_ROWS = 10


# Checks across files that a Table Schema cannot express, from each story's data module:
# slug -> (the dataset it is checked against, or None; the problems of the validated table given
# that dataset's served table).
CROSS_CHECKS: dict[str, tuple[str | None, Callable[[pd.DataFrame, pd.DataFrame | None], list[Problem]]]] = {
    slug: check for m in modules("webapp.data") for slug, check in getattr(m, "CHECKS", {}).items()
}

# Datasets whose uploads carry columns the site must never keep: a reporting app's export holds the
# residents' own words, names, e-mails, phone numbers. Those columns are neither checked nor kept:
# the file a version keeps (and the catalogue offers for download) is the validated table rewritten
# with the schema's columns only (`schema_columns_file`), and the editor's report names the others.
SCHEMA_COLUMNS_ONLY = frozenset({"signalements"})


def check_file(slug: str, content: bytes, filename: str,
               served: Callable[[str], pd.DataFrame | None] | None = None) -> tuple[pd.DataFrame | None, Report, str]:
    """Read and validate a file for `slug`: (normalised table or None, report, what the file is).

    `served(slug)` gives the served table of another dataset, for the checks across files
    (`CROSS_CHECKS`: a measure's channel must be in the channels file…); without it they are skipped.
    For `SCHEMA_COLUMNS_ONLY` datasets the other columns are set aside unread (named in the report's
    `ignored_columns`) and the table returned has the schema's columns only.
    """
    schema = load_schema(slug)
    try:
        table = read_table(content, filename, schema.names)
    except Unreadable as exc:
        return None, Report([Problem(None, "", "", exc.fr, exc.en)], 1), ""
    raw, dropped = table.frame, []
    if slug in SCHEMA_COLUMNS_ONLY and any(c in schema.names for c in raw.columns):
        dropped = [c for c in raw.columns if c not in schema.names]
        raw = raw.drop(columns=dropped)
    frame, report = validate(schema, raw)
    report.ignored_columns = report.ignored_columns or dropped
    # Checks across rows and files read typed cells: they wait until the schema's own problems are fixed.
    if slug in CROSS_CHECKS and served is not None and report.ok:
        other, problems = CROSS_CHECKS[slug]
        against = served(other) if other else None
        if other is None or against is not None:
            report = with_problems(report, problems(frame, against))
    return (frame if report.ok else None), report, table.describe()


def schema_columns_file(schema: Schema, frame: pd.DataFrame, filename: str) -> tuple[bytes, str]:
    """A validated table as the file a version keeps when only the schema's columns may be kept:
    UTF-8 CSV of those columns, normalised cells (ISO dates, decimal points); its name ends in .csv."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(schema.names)
    for row in frame[schema.names].itertuples(index=False, name=None):
        writer.writerow(["" if v is None or v is pd.NA else v for v in row])
    return out.getvalue().encode("utf-8"), f"{Path(filename).stem}.csv"


def coverage_of(schema: Schema, frame: pd.DataFrame) -> str | None:
    """The first and last values of the schema's temporal field ("2019 – 2021"), or None."""
    name = schema.temporal_field
    if not name or frame.empty:
        return None
    values = frame[name].dropna().astype(str)
    if values.empty:
        return None
    lo, hi = values.min(), values.max()
    return lo if lo == hi else f"{lo} – {hi}"


def periods_of(schema: Schema, frame: pd.DataFrame | None) -> list[str]:
    """The periods a table covers, sorted: the values of its temporal field, or their years when
    they are dates ("2023-05-02" and "2023-05-02T10:00" count as 2023); [] without a temporal field."""
    name = schema.temporal_field
    if frame is None or not name or name not in frame.columns:
        return []
    values = frame[name].dropna().astype(str)
    units = values.where(~values.str.match(r"^\d{4}-\d{2}-\d{2}"), values.str[:4])
    return sorted(set(units))


def period_change(schema: Schema, old: pd.DataFrame | None, new: pd.DataFrame) -> dict[str, list[str]]:
    """The periods of `old` that `new` no longer holds and those it adds."""
    before, after = set(periods_of(schema, old)), set(periods_of(schema, new))
    return {"dropped": sorted(before - after), "added": sorted(after - before)}


def diff(schema: Schema, old: pd.DataFrame | None, new: pd.DataFrame) -> dict[str, Any]:
    """Rows added, removed and changed (by primary key) from `old` to `new`, with a few examples.

    Without a primary key (DVF) a row is its whole content and the tables are compared as multisets:
    a row written twice in `new` and once in `old` is one row added. `duplicates` counts the rows of
    `new` identical to an earlier row of `new`.
    """
    pk = schema.primary_key or schema.names  # a file without a key (DVF): rows are added or removed
    others = [c for c in schema.names if c not in pk]
    duplicates = int(_hashed(new, pk, others)["occurrence"].gt(0).sum())
    if old is None:
        return {"added": len(new), "removed": 0, "changed": 0, "duplicates": duplicates,
                "examples": {"added": _rows(new.head(SAMPLE_ROWS), schema)}}
    merged = _hashed(old, pk, others).merge(_hashed(new, pk, others), on=["key", "occurrence"], how="outer",
                                             suffixes=("_old", "_new"), indicator=True)
    added = merged[merged["_merge"] == "right_only"]
    removed = merged[merged["_merge"] == "left_only"]
    both = merged[merged["_merge"] == "both"]
    changed = both[both["row_old"] != both["row_new"]]
    examples_changed = []
    for rec in changed.head(SAMPLE_ROWS).itertuples():
        before, after = old.iloc[int(rec.pos_old)], new.iloc[int(rec.pos_new)]
        examples_changed.append({
            "key": {k: _cell(after[k]) for k in pk},
            "columns": [{"column": c, "old": _cell(before[c]), "new": _cell(after[c])}
                        for c in others if _cell(before[c]) != _cell(after[c])],
        })
    return {
        "added": len(added), "removed": len(removed), "changed": len(changed), "duplicates": duplicates,
        "examples": {
            "added": _rows(new.iloc[added["pos_new"].head(SAMPLE_ROWS).astype(int)], schema),
            "removed": _rows(old.iloc[removed["pos_old"].head(SAMPLE_ROWS).astype(int)], schema),
            "changed": examples_changed,
        },
    }


def _hashed(df: pd.DataFrame, pk: list[str], others: list[str]) -> pd.DataFrame:
    """Each row's key and content as hashes, its position, and how many rows before it share its key."""
    hashed = pd.DataFrame({
        "key": pd.util.hash_pandas_object(df[pk].astype(str), index=False).to_numpy(),
        "row": pd.util.hash_pandas_object(df[others].astype(str), index=False).to_numpy(),
        "pos": range(len(df)),
    })
    hashed["occurrence"] = hashed.groupby("key").cumcount()
    return hashed


def _cell(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _rows(df: pd.DataFrame, schema: Schema) -> list[dict[str, str]]:
    return [{c: _cell(v) for c, v in zip(schema.names, row)} for row in df[schema.names].itertuples(index=False)]
