"""The footfall story's views of Flux Vision (Orange Business): visitors per category and where they come from.

Every view reads rollups computed when the files were published (`webapp.data.importers.footfall`):
visitors per day and category, origins per month.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.charts.cells import cell_date, cell_int, cell_text, table_of
from webapp.charts.footfall_counters import no_data
from webapp.charts.footfall_params import category_label, footfall_build, month_text, upper_first
from webapp.data import footfall as q
from webapp.data import privacy
from webapp.data.footfall import CATEGORIES, DATASETS, FootfallFilter
from webapp.data.store import get_db, versioned
from webapp.figures import footfall as fig
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import _


def _label_value(label: str, value: float, lang: str) -> str:
    """'Nord : 1 234' (fr, narrow no-break space before the colon), 'Nord: 1,234' (en)."""
    return _("{label}\u202f: {value}", lang, label=label, value=fmt_number(value, lang))


@versioned(*DATASETS)
def view_visitors(f: FootfallFilter, lang: str) -> dict[str, Any]:
    df = q.query_visitors(get_db(), footfall_build(), f.zone, f.first, f.last)
    if df.empty:
        return no_data(lang)
    month_list = sorted(df["month"].unique())
    labels = [month_text(m, lang) for m in month_list]
    shown = [f.category] if f.category else list(CATEGORIES)
    series = []
    for category in shown:
        values = df[df["category"] == category].set_index("month")["volume"].reindex(month_list)
        name = category_label(category, lang)
        series.append({"name": name, "y": [None if pd.isna(v) else float(v) for v in values],
                       "color": fig.CATEGORY_COLORS[category],
                       "hover": [f"{label}<br>{_label_value(name, v, lang)}" for label, v in zip(labels, values)]})
    figure = fig.stacked_months(month_list, series, _("visiteurs", lang), lang)
    totals = df[df["category"].isin(shown)].groupby("category")["volume"].sum()
    whole = totals.sum()
    parts = ", ".join(f"{category_label(c, lang).lower()} {fmt_percent(totals.get(c, 0) / whole * 100, lang)}"
                      for c in shown) if whole else ""
    zone = f.zone or _("toutes les zones", lang)
    summary = _("{where} : {total} présences de visiteurs estimées de {first} à {last} ({parts}). Les volumes de "
                "moins de 20 personnes ne sont pas publiés.", lang,
                where=upper_first(zone), total=fmt_number(whole, lang),
                first=labels[0], last=labels[-1], parts=parts)
    names = {c: category_label(c, lang) for c in CATEGORIES}
    rows = df[df["category"].isin(shown)].assign(category=lambda d: d["category"].map(names))
    table = table_of([(_("Mois", lang), cell_date), (_("Catégorie", lang), cell_text),
                      (_("Visiteurs", lang), cell_int)], rows[["month", "category", "volume"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS)
def view_origins(f: FootfallFilter, lang: str) -> dict[str, Any]:
    df = q.query_origins(get_db(), footfall_build(), f.zone, f.first, f.last)
    if df.empty:
        return no_data(lang)
    others = df[df["origin"] == "autres"]
    top = df[df["origin"] != "autres"].head(10)
    rest = df[df["origin"] != "autres"].iloc[10:]
    grouped = float(others["volume"].sum() + rest["volume"].sum())
    shown = top.copy()
    label_others = _("Autres départements", lang)
    if grouped:
        shown = pd.concat([shown, pd.DataFrame({"origin": [label_others], "volume": [grouped]})], ignore_index=True)
    total = float(df["volume"].sum())
    texts = [fmt_percent(v / total * 100, lang, 0) for v in shown["volume"]]
    hover = [_label_value(o, v, lang) for o, v in zip(shown["origin"], shown["volume"])]
    figure = fig.ranked_bars(shown["origin"].tolist(), shown["volume"].tolist(), texts, hover, lang)
    lead = ", ".join(f"{o} ({fmt_percent(v / total * 100, lang, 0)})" for o, v in zip(top["origin"][:4], top["volume"][:4]))
    summary = _("Départements d'origine des visiteurs, les premiers : {lead}. Les origines de moins de {minimum} "
                "visiteurs par mois et par zone sont regroupées dans « {others} ».", lang, lead=lead,
                minimum=privacy.min_count("flux-vision"),  # the dataset's declared minimum, as the editor sees it
                others=label_others.lower())
    table = table_of([(_("Origine", lang), cell_text), (_("Visiteurs", lang), cell_int)],
                     shown[["origin", "volume"]], lang)
    return {"figure": figure, "summary": summary, "table": table}

