"""Small counts: aggregates counting fewer than a dataset's declared minimum are not published as such.

A dataset declares `min_count` (catalogue.json, shown in the editor and the catalogue). Breakdowns
group the small categories into one "autres" row (`group_small`); figures computed from too few
units are blanked (`suppress_small`). Either way the chart says what was done (`notice`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from webapp.data.store import datasets_meta
from webapp.formatting import fmt_number
from webapp.i18n import N_, _, ngettext

OTHERS = N_("autres")  # the label of the grouped row: `_(OTHERS, lang)`


def min_count(*slugs: str) -> int | None:
    """The strictest minimum declared by any of these datasets (None: none declared)."""
    meta = datasets_meta().set_index("slug")
    values = [int(meta.at[s, "min_count"]) for s in slugs
              if s in meta.index and pd.notna(meta.at[s, "min_count"])]
    return max(values) if values else None


def group_small(df: pd.DataFrame, label: str, count: str, minimum: int | None, lang: str) -> tuple[pd.DataFrame, int]:
    """Rows whose `count` is below `minimum` summed into one "autres" row; returns (rows, how many grouped).

    If the "autres" row itself stays below the minimum it is dropped too: no published count is small.
    """
    if not minimum or df.empty:
        return df, 0
    small = df[count] < minimum
    if not small.any():
        return df, 0
    kept = df[~small]
    others = df.loc[small, count].sum()
    if others >= minimum:
        row = {c: None for c in df.columns} | {label: _(OTHERS, lang), count: others}
        kept = pd.concat([kept, pd.DataFrame([row])], ignore_index=True)
    return kept.reset_index(drop=True), int(small.sum())


def suppress_small(df: pd.DataFrame, count: str, values: Iterable[str], minimum: int | None) -> tuple[pd.DataFrame, int]:
    """`values` blanked on rows whose `count` is below `minimum`; returns (rows, how many suppressed)."""
    if not minimum or df.empty:
        return df, 0
    small = df[count] < minimum
    out = df.copy()
    for col in values:
        out[col] = out[col].astype(object).where(~small, None)
    return out, int(small.sum())


def notice(n: int, minimum: int | None, lang: str, grouped: bool) -> str:
    """The sentence a chart adds when it grouped or suppressed small counts ('' when it did not)."""
    if not n or not minimum:
        return ""
    shown = {"n": fmt_number(n, lang), "minimum": fmt_number(minimum, lang)}
    if grouped:
        return ngettext("{n} valeur portant sur moins de {minimum} est regroupée dans « autres » (secret statistique).",
                        "{n} valeurs portant sur moins de {minimum} sont regroupées dans « autres » (secret "
                        "statistique).", n, lang, **shown)
    return ngettext("{n} valeur portant sur moins de {minimum} est masquée (secret statistique).",
                    "{n} valeurs portant sur moins de {minimum} sont masquées (secret statistique).", n, lang, **shown)
