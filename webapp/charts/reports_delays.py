"""The citizen reports story's views of what the city does: the median time to resolve, the share resolved fast.

They read the resolution times per month and per span of years, and the share resolved within 7 and
30 days, computed when the export was published (`webapp.data.importers.reports`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.reports_params import (
    categories_of,
    category_suffix,
    cell_share,
    days_text,
    label,
    months_of,
    no_data,
    period_text,
    reports_build,
)
from webapp.data import privacy
from webapp.data import reports as q
from webapp.data.importers.reports import ALL_CATEGORIES, CATEGORIES, WINDOWS
from webapp.data.reports import DATASETS, ReportFilter
from webapp.data.store import get_db, versioned
from webapp.figures import reports as fig
from webapp.figures.base import REFERENCE_COLOR
from webapp.formatting import fmt_number, month_text, upper_first
from webapp.i18n import _


def _median_line(res: pd.DataFrame, category: str, span: list[str], lang: str, **style: Any) -> dict[str, Any]:
    rows = res[res["category"] == category].set_index("month").reindex(span)
    minimum = privacy.min_count("signalements") or 1

    def median(d: Any, n: Any) -> str:
        if pd.notna(d):
            return _("médiane {d} ({n} résolus)", lang, d=days_text(d, lang), n=fmt_number(n, lang))
        if pd.notna(n):
            return _("moins de {n} résolus : pas de médiane", lang, n=minimum)
        return _("aucun signalement résolu", lang)

    hover = [f"{label(category, lang)} · {month_text(m, lang)}<br>{median(d, n)}"
             for m, d, n in zip(span, rows["median_days"], rows["resolved"])]
    return {"name": label(category, lang), "y": [None if pd.isna(d) else float(d) for d in rows["median_days"]],
            "hover": hover, **style}


@versioned(*DATASETS)
def view_resolution(f: ReportFilter, lang: str) -> dict[str, Any]:
    span = months_of(f)
    res = q.query_resolution(get_db(), reports_build(), *f.months)
    if res.empty or not span:
        return no_data(lang)
    if f.category:
        lines = [_median_line(res, f.category, span, lang, color=fig.CATEGORY_COLORS[f.category], width=3),
                 _median_line(res, ALL_CATEGORIES, span, lang, color=REFERENCE_COLOR, dash="dot")]
    else:
        lines = [_median_line(res, c, span, lang, color=fig.CATEGORY_COLORS[c], width=1.5) for c in CATEGORIES]
        lines.append(_median_line(res, ALL_CATEGORIES, span, lang, color=fig.ALL_COLOR, width=3, symbol="diamond"))
    figure = fig.month_lines(span, lines, _("Jours (médiane)", lang), lang)
    summary = _resolution_summary(f, lang)
    shown = res[res["category"].isin([*categories_of(f), ALL_CATEGORIES])]
    rows = shown.assign(category=shown["category"].map(lambda c: label(c, lang)))[["month", "category", "resolved",
                                                                                   "median_days"]]
    table = table_of([(_("Mois de clôture", lang), cell_text), (_("Catégorie", lang), cell_text),
                      (_("Signalements résolus", lang), cell_int), (_("Délai médian", lang), days_text)], rows, lang)
    return {"figure": figure, "summary": summary, "table": table}


def _resolution_summary(f: ReportFilter, lang: str) -> str:
    db, build = get_db(), reports_build()
    spans = q.query_resolution_span(db, build, f.year_from, f.year_to).set_index("category")
    minimum = privacy.min_count("signalements") or 1
    overall = days_text(spans["median_days"].get(ALL_CATEGORIES), lang)
    when = period_text(f, lang)
    if f.category:
        text = _("{category} : délai médian de résolution de {days} {when} ({n} signalements résolus), contre "
                 "{overall} toutes catégories confondues.", lang, category=label(f.category, lang),
                 days=days_text(spans["median_days"].get(f.category), lang), when=when,
                 n=fmt_number(int(spans["resolved"].get(f.category, 0)), lang), overall=overall)
    else:
        medians = spans.drop(index=ALL_CATEGORIES, errors="ignore")["median_days"].dropna().sort_values()
        parts = ", ".join(f"{label(c, lang).lower()} {days_text(d, lang)}" for c, d in medians.items())
        text = _("Délai médian de résolution {when} : {overall} toutes catégories confondues ; {parts}.", lang,
                 when=when, overall=overall, parts=parts)
    if f.year_to > f.year_from:
        key = f.category or ALL_CATEGORIES
        first = q.query_resolution_span(db, build, f.year_from, f.year_from).set_index("category")["median_days"]
        last = q.query_resolution_span(db, build, f.year_to, f.year_to).set_index("category")["median_days"]
        if pd.notna(first.get(key)) and pd.notna(last.get(key)):
            text += " " + _("{first_days} en {first}, {last_days} en {last}.", lang,
                            first=f.year_from, first_days=days_text(first[key], lang),
                            last=f.year_to, last_days=days_text(last[key], lang))
    return text + " " + _("Un mois où moins de {minimum} signalements ont été résolus n'a pas de médiane : la courbe "
                          "s'interrompt.", lang, minimum=minimum)


@versioned(*DATASETS)
def view_speed(f: ReportFilter, lang: str) -> dict[str, Any]:
    span = months_of(f)
    df = q.query_speed(get_db(), reports_build(), *f.months)
    df = df[df["category"].isin(categories_of(f))]
    if df.empty or not span:
        return no_data(lang)
    # A month's window is over or not for every category at once: its sums are all known or all NULL.
    by = df.groupby("month").agg(reports=("reports", "sum"), within_7=("within_7", lambda s: s.sum(min_count=1)),
                                 within_30=("within_30", lambda s: s.sum(min_count=1))).reindex(span)
    lines = []
    for window, dash in zip(WINDOWS, ("solid", "dash")):
        share = (by[f"within_{window}"] / by["reports"].where(by["reports"] > 0)).astype(float)
        name = _within(window, lang)
        lines.append({"name": name, "y": [None if pd.isna(v) else float(v) for v in share],
                      "color": fig.WITHIN_COLORS[window], "dash": dash, "width": 2.5,
                      "hover": [f"{upper_first(month_text(m, lang))}<br>"
                                + _("{label}\u202f: {value}", lang, label=name, value=cell_share(v, lang))
                                for m, v in zip(span, share)]})
        by[f"share_{window}"] = share
    figure = fig.month_lines(span, lines, _("Part des signalements", lang), lang, share=True)
    summary = _speed_summary(f, by, lang)
    table = table_of([(_("Mois de création", lang), cell_text), (_("Signalements (hors rejetés)", lang), cell_int),
                      (_within(7, lang), cell_share), (_within(30, lang), cell_share)],
                     by.reset_index()[["month", "reports", "share_7", "share_30"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


def _within(window: int, lang: str) -> str:
    """'Résolus en 7 jours au plus' (fr), 'Resolved within 7 days' (en)."""
    return _("Résolus en {n} jours au plus", lang, n=window)


def _speed_summary(f: ReportFilter, by: pd.DataFrame, lang: str) -> str:
    def share(rows: pd.DataFrame, window: int) -> str:
        done = rows.dropna(subset=[f"within_{window}"])
        total = done["reports"].sum()
        return cell_share(done[f"within_{window}"].sum() / total if total else None, lang)

    text = _("Des signalements faits {when}{what}, hors rejetés, {s7} ont été résolus en 7 jours au plus et {s30} en "
             "30 jours au plus.", lang, when=period_text(f, lang), what=category_suffix(f, lang), s7=share(by, 7),
             s30=share(by, 30))
    if f.year_to > f.year_from:
        first, last = (by[by.index.str.startswith(str(year))] for year in (f.year_from, f.year_to))
        text += " " + _("En {first}, {first_7} et {first_30} ; en {last}, {last_7} et {last_30}.", lang,
                        first=f.year_from, first_7=share(first, 7), first_30=share(first, 30),
                        last=f.year_to, last_7=share(last, 7), last_30=share(last, 30))
    pending = [m for m in by.index if pd.isna(by.at[m, "within_30"])]
    if pending:
        text += " " + _("Pas encore de part pour {months} : le délai n'était pas écoulé à la date de l'export.", lang,
                        months=", ".join(month_text(m, lang) for m in pending))
    return text
