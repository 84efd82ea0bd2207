"""A chart's data table: labelled columns, cells formatted for reading, raw values for the CSV and JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from datetime import date

from webapp.formatting import fmt_date, fmt_number, month_text


def table_of(columns: list[tuple[Mapping[str, str] | str, Callable[[Any, str], str]]], df: pd.DataFrame,
             lang: str) -> dict[str, Any]:
    """The chart's data as shown: column labels and formatted cells; `raw` keeps the values (CSV)."""
    labels = [label[lang] if isinstance(label, Mapping) else label for label, _ in columns]
    fmts = [f for _, f in columns]
    rows, raw = [], []
    for rec in df.to_dict("records"):
        values = list(rec.values())
        rows.append([f(v, lang) for f, v in zip(fmts, values)])
        raw.append([None if (isinstance(v, float) and pd.isna(v)) else v for v in values])
    return {"columns": labels, "rows": rows, "raw": raw}


def cell_text(v: Any, lang: str) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def cell_int(v: Any, lang: str) -> str:
    return fmt_number(v, lang)


def cell_date(v: Any, lang: str) -> str:
    """A day ('2024-12-01' -> '1er décembre 2024') or a month ('2024-12' -> 'décembre 2024') as a reader writes
    it; the CSV and the JSON keep the ISO value (`raw`)."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    text = v.isoformat()[:10] if isinstance(v, date) else str(v)
    if len(text) == 7:
        return month_text(text, lang)
    return fmt_date(date.fromisoformat(text[:10]), lang)
