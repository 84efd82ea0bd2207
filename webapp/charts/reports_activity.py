"""The citizen reports story's views of what is reported: reports month by month, and quartier by quartier.

Counts per IRIS below the dataset's minimum were grouped or left out when the export was published
(`webapp.data.importers.reports`): the map can only show what was kept, and says so.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.charts.cells import cell_date, cell_int, cell_text, table_of
from webapp.charts.reports_params import (
    categories_of,
    category_suffix,
    label,
    months_of,
    no_data,
    period_text,
    reports_build,
)
from webapp.charts.geography import town_iris
from webapp.data import privacy
from webapp.data import reports as q
from webapp.data.reports import DATASETS, ReportFilter
from webapp.data.store import get_db, versioned
from webapp.figures import reports as fig
from webapp.figures.maps import choropleth
from webapp.formatting import fmt_number, fmt_percent, month_text, upper_first
from webapp.i18n import _, ngettext


@versioned(*DATASETS)
def view_monthly(f: ReportFilter, lang: str) -> dict[str, Any]:
    cats, span = categories_of(f), months_of(f)
    df = q.query_monthly(get_db(), reports_build(), *f.months)
    df = df[df["category"].isin(cats)]
    if df.empty or not span:
        return no_data(lang)
    created = df.pivot_table(index="month", columns="category", values="created", aggfunc="sum").reindex(
        index=span, columns=cats).fillna(0).astype(int)
    closed = df.groupby("month")["closed"].sum().reindex(span, fill_value=0)
    names = {m: month_text(m, lang) for m in span}
    series = [{"name": label(c, lang), "y": created[c].tolist(), "color": fig.CATEGORY_COLORS[c],
               "hover": [_("{month} · {category}\u202f: {n} signalements", lang, month=upper_first(names[m]),
                           category=label(c, lang), n=fmt_number(n, lang)) for m, n in zip(span, created[c])]}
              for c in cats]
    line = {"name": _("Clos dans le mois", lang), "y": [int(v) for v in closed],
            "hover": [_("{month}\u202f: {n} signalements clos", lang, month=upper_first(names[m]),
                        n=fmt_number(v, lang)) for m, v in zip(span, closed)]}
    figure = fig.monthly_bars(span, series, line, _("Signalements par mois", lang), lang)
    summary = _monthly_summary(f, df, created, names, lang)
    rows = df.assign(category=df["category"].map(lambda c: label(c, lang)))[["month", "category", "created", "closed",
                                                                             "rejected"]]
    table = table_of([(_("Mois", lang), cell_date), (_("Catégorie", lang), cell_text),
                      (_("Signalements", lang), cell_int), (_("Clos", lang), cell_int),
                      (_("Dont rejetés", lang), cell_int)], rows, lang)
    return {"figure": figure, "summary": summary, "table": table}


def _monthly_summary(f: ReportFilter, df: pd.DataFrame, created: pd.DataFrame, names: dict[str, str],
                     lang: str) -> str:
    """How many reports, the share of each category, the busiest month, how many were closed or rejected."""
    totals = created.sum(axis=1)
    total, busiest = int(totals.sum()), totals.idxmax()
    shares = ", ".join(f"{label(c, lang).lower()} {fmt_percent(created[c].sum() / total * 100, lang, 0)}"
                       for c in created.sum().sort_values(ascending=False).index) if not f.category and total else ""
    args = {"when": upper_first(period_text(f, lang)), "total": fmt_number(total, lang),
            "what": category_suffix(f, lang)}
    head = (_("{when}, {total} signalements{what} : {shares}.", lang, shares=shares, **args) if shares
            else _("{when}, {total} signalements{what}.", lang, **args))
    busiest_text = _("Le mois le plus chargé : {month} ({n}).", lang, month=names[busiest],
                     n=fmt_number(totals[busiest], lang))
    closed_text = _("{closed} signalements ont été clos sur la période, dont {rejected} rejetés.", lang,
                    closed=fmt_number(int(df["closed"].sum()), lang),
                    rejected=fmt_number(int(df["rejected"].sum()), lang))
    return f"{head} {busiest_text} {closed_text}"


@versioned(*DATASETS)
def view_map(f: ReportFilter, lang: str) -> dict[str, Any]:
    iris = town_iris()
    counts = q.query_iris_counts(get_db(), reports_build(), f.year_from, f.year_to)
    if f.category:
        counts = counts[counts["category"] == f.category]
    sums = counts.groupby("iris_code")["reports"].sum()
    values = {code: (float(sums[code]) if code in sums.index else None) for code in iris["code"]}
    if iris.empty or not sums.any():
        return no_data(lang)
    legend = _("Signalements", lang) + category_suffix(f, lang)
    not_published = _("non publié", lang)
    hover = {row.code: f"<b>{row.name}</b><br>" + (ngettext("{n} signalement", "{n} signalements", values[row.code], lang,
                                                             n=fmt_number(values[row.code], lang))
                                                   if values[row.code] is not None else not_published)
             for row in iris.itertuples()}
    figure = choropleth(iris, values, None, legend, lambda v: fmt_number(v, lang), hover, lang)
    summary = _map_summary(f, values, dict(zip(iris["code"], iris["name"])), lang)
    rows = pd.DataFrame({"name": iris["name"], "reports": [fmt_number(values[c], lang) if values[c] is not None
                                                           else not_published for c in iris["code"]]})
    table = table_of([(_("Quartier (IRIS)", lang), cell_text), (_("Signalements", lang), cell_text)], rows, lang)
    table["raw"] = [[n, None if values[c] is None else int(values[c])] for n, c in zip(iris["name"], iris["code"])]
    return {"figure": figure, "summary": summary, "table": table}


def _map_summary(f: ReportFilter, values: dict[str, float | None], names: dict[str, str], lang: str) -> str:
    """The most and fewest reports by quartier, the small-count rule with the dataset's minimum, the blanks."""
    minimum = privacy.min_count("signalements") or 1
    known = {c: v for c, v in values.items() if v is not None}
    hi, lo = max(known, key=known.get), min(known, key=known.get)
    blank = len(values) - len(known)
    args = {"when": upper_first(period_text(f, lang)), "what": category_suffix(f, lang)}
    if len(known) == 1:
        head = _("{when}{what}, seul le quartier {name} a un compte publiable ({n}).", lang, name=names[hi],
                 n=fmt_number(known[hi], lang), **args)
    else:
        head = _("{when}{what}, le quartier qui compte le plus de signalements est {most} ({most_n}), celui qui en "
                 "compte le moins {fewest} ({fewest_n}).", lang, most=names[hi], most_n=fmt_number(known[hi], lang),
                 fewest=names[lo], fewest_n=fmt_number(known[lo], lang), **args)
    rule = _("Un compte de moins de {minimum} signalements par an et par catégorie dans un quartier n'est pas publié "
             "seul (secret statistique) : il est regroupé dans « autres », ou omis si ce groupe reste sous {minimum}.",
             lang, minimum=minimum)
    if not blank:
        return f"{head} {rule}"
    blanks = ngettext("{n} quartier sans compte publiable, hachuré.", "{n} quartiers sans compte publiable, hachurés.",
                      blank, lang)
    return f"{head} {rule} {blanks}"
