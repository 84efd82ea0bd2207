"""The citizen reports story's charts: parameters, cached views, text summaries and data tables.

Every figure reads rollups computed when the reporting app's export was published
(`webapp.data.importers.reports`): reports per month and category, resolution times per month and
per span of years, the share resolved within 7 and 30 days, reports per IRIS. Counts per IRIS
below the dataset's minimum were grouped or left out then: the map can only show what was kept,
and says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from webapp.charts import BadParameter, Chart, Param, register
from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.footfall import month_text, upper_first
from webapp.charts.schools import school_build
from webapp.data import privacy
from webapp.data import reports as q
from webapp.data.importers.reports import ALL_CATEGORIES, CATEGORIES, WINDOWS
from webapp.data.reports import DATASETS, ReportFilter
from webapp.data.schools import query_iris
from webapp.data.store import build_id, get_db, get_settings, versioned
from webapp.figures import reports as fig
from webapp.figures.base import REFERENCE_COLOR, empty_figure
from webapp.figures.housing import choropleth
from webapp.formatting import fmt_number, fmt_percent

STORY = "signalements"
PARAM_NATURE, PARAM_YEARS = "nature", "annees"
ALL = "tous"
CATEGORY_LABELS = {
    "fr": {"voirie": "Voirie", "proprete": "Propreté", "eclairage": "Éclairage public", "graffitis": "Tags et affichage",
           "espaces-verts": "Espaces verts", "mobilier-urbain": "Mobilier urbain", ALL_CATEGORIES: "Toutes catégories"},
    "en": {"voirie": "Roads and pavements", "proprete": "Cleanliness", "eclairage": "Street lighting",
           "graffitis": "Graffiti and posters", "espaces-verts": "Green spaces", "mobilier-urbain": "Street furniture",
           ALL_CATEGORIES: "All categories"},
}
L = {
    "fr": {"no_data": "Aucun signalement pour ce choix.", "colon": "\u202f: ", "reports": "signalements",
           "per_month": "Signalements par mois", "closed": "Clos dans le mois", "days": "Jours (médiane)",
           "within": "Résolus en {n} jours au plus", "share": "Part des signalements", "not_published": "non publié",
           "median": "médiane {d} ({n} résolus)", "few": "moins de {n} résolus : pas de médiane",
           "none_resolved": "aucun signalement résolu"},
    "en": {"no_data": "No report for this choice.", "colon": ": ", "reports": "reports",
           "per_month": "Reports a month", "closed": "Closed in the month", "days": "Days (median)",
           "within": "Resolved within {n} days", "share": "Share of reports", "not_published": "not published",
           "median": "median {d} ({n} resolved)", "few": "fewer than {n} resolved: no median",
           "none_resolved": "no report resolved"},
}


def reports_build() -> int:
    return build_id("signalements")


def label(category: str, lang: str) -> str:
    return CATEGORY_LABELS[lang].get(category, category)


def days_text(value: Any, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    word = ("jour" if lang == "fr" else "day") + ("s" if abs(float(value)) >= 2 else "")
    return f"{fmt_number(value, lang, 0 if float(value).is_integer() else 1)} {word}"


def cell_share(v: Any, lang: str) -> str:
    return "–" if v is None or pd.isna(v) else fmt_percent(float(v) * 100, lang)


def period_text(f: ReportFilter, lang: str) -> str:
    if f.year_from == f.year_to:
        return f"en {f.year_from}" if lang == "fr" else f"in {f.year_from}"
    return f"de {f.year_from} à {f.year_to}" if lang == "fr" else f"from {f.year_from} to {f.year_to}"


# --- parameters -------------------------------------------------------------------------------

@versioned(*DATASETS)
def months() -> list[str]:
    """Every month of the file, from the first report to the export (YYYY-MM)."""
    first, last = (years() or [None])[0], (years() or [None])[-1]
    if first is None:
        return []
    df = q.query_monthly(get_db(), reports_build(), f"{first}-01", f"{last}-12")
    return sorted(df["month"].unique().tolist())


@versioned(*DATASETS)
def years() -> list[int]:
    return q.query_years(get_db(), reports_build())


def span_value(first: int, last: int) -> str:
    """The `annees` value of a span: "2024" for one year, "2023-2025" for several."""
    return str(first) if first == last else f"{first}-{last}"


def year_spans() -> list[str]:
    ys = years()
    return [span_value(a, b) for a in ys for b in ys if b >= a]


def default_span() -> str:
    ys = years()
    return span_value(ys[0], ys[-1]) if ys else ""


def parse_filters(args: Mapping[str, str]) -> ReportFilter:
    """Validate `nature` and `annees` from a query string (raises BadParameter).

    A span given backwards ("2025-2023") is read the right way round.
    """
    nature = (args.get(PARAM_NATURE) or ALL).strip()
    if nature not in (*CATEGORIES, ALL):
        raise BadParameter(PARAM_NATURE, nature, [*CATEGORIES, ALL])
    raw = (args.get(PARAM_YEARS) or default_span()).strip()
    found = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", raw)
    bounds = sorted(int(y) for y in found.groups() if y) if found else []
    if not bounds or any(y not in years() for y in bounds):
        raise BadParameter(PARAM_YEARS, raw, year_spans())
    return ReportFilter(None if nature == ALL else nature, bounds[0], bounds[-1])


def filter_query(f: ReportFilter) -> dict[str, str]:
    """The query-string form of a filter, defaults left out (the shareable URL)."""
    out = {}
    if f.category:
        out[PARAM_NATURE] = f.category
    span = span_value(f.year_from, f.year_to)
    if span != default_span():
        out[PARAM_YEARS] = span
    return out


def _categories(f: ReportFilter) -> list[str]:
    return [f.category] if f.category else list(CATEGORIES)


def _months(f: ReportFilter) -> list[str]:
    first, last = f.months
    return [m for m in months() if first <= m <= last]


def _empty(message: str, lang: str) -> dict[str, Any]:
    return {"figure": empty_figure(message, lang), "summary": message, "table": {"columns": [], "rows": [], "raw": []}}


# --- views ------------------------------------------------------------------------------------

@versioned(*DATASETS)
def view_monthly(f: ReportFilter, lang: str) -> dict[str, Any]:
    t, cats, span = L[lang], _categories(f), _months(f)
    df = q.query_monthly(get_db(), reports_build(), *f.months)
    df = df[df["category"].isin(cats)]
    if df.empty or not span:
        return _empty(t["no_data"], lang)
    created = df.pivot_table(index="month", columns="category", values="created", aggfunc="sum").reindex(
        index=span, columns=cats).fillna(0).astype(int)
    closed = df.groupby("month")["closed"].sum().reindex(span, fill_value=0)
    names = {m: month_text(m, lang) for m in span}
    series = [{"name": label(c, lang), "y": created[c].tolist(), "color": fig.CATEGORY_COLORS[c],
               "hover": [f"{upper_first(names[m])} · {label(c, lang)}{t['colon']}{fmt_number(n, lang)} {t['reports']}"
                         for m, n in zip(span, created[c])]} for c in cats]
    line = {"name": t["closed"], "y": [int(v) for v in closed],
            "hover": [f"{upper_first(names[m])}{t['colon']}{fmt_number(v, lang)} {t['reports']} "
                      f"{'clos' if lang == 'fr' else 'closed'}" for m, v in zip(span, closed)]}
    figure = fig.monthly_bars(span, series, line, t["per_month"], lang)
    totals = created.sum(axis=1)
    total, busiest = int(totals.sum()), totals.idxmax()
    shares = ", ".join(f"{label(c, lang).lower()} {fmt_percent(created[c].sum() / total * 100, lang, 0)}"
                       for c in created.sum().sort_values(ascending=False).index) if not f.category and total else ""
    what = f" ({label(f.category, lang).lower()})" if f.category else ""
    when = upper_first(period_text(f, lang))
    n_closed, n_rejected = int(df["closed"].sum()), int(df["rejected"].sum())
    if lang == "fr":
        summary = (f"{when}, {fmt_number(total, lang)} signalements{what}" + (f" : {shares}" if shares else "")
                   + f". Le mois le plus chargé : {names[busiest]} ({fmt_number(totals[busiest], lang)}). "
                   f"{fmt_number(n_closed, lang)} signalements ont été clos sur la période, dont "
                   f"{fmt_number(n_rejected, lang)} rejetés.")
    else:
        summary = (f"{when}, {fmt_number(total, lang)} reports{what}" + (f": {shares}" if shares else "")
                   + f". The busiest month: {names[busiest]} ({fmt_number(totals[busiest], lang)}). "
                   f"{fmt_number(n_closed, lang)} reports were closed in the period, {fmt_number(n_rejected, lang)} "
                   "of them rejected.")
    rows = df.assign(category=df["category"].map(lambda c: label(c, lang)))[["month", "category", "created", "closed",
                                                                             "rejected"]]
    table = table_of([({"fr": "Mois", "en": "Month"}, cell_text), ({"fr": "Catégorie", "en": "Category"}, cell_text),
                      ({"fr": "Signalements", "en": "Reports"}, cell_int), ({"fr": "Clos", "en": "Closed"}, cell_int),
                      ({"fr": "Dont rejetés", "en": "Of which rejected"}, cell_int)], rows, lang)
    return {"figure": figure, "summary": summary, "table": table}


def _median_line(res: pd.DataFrame, category: str, span: list[str], lang: str, **style: Any) -> dict[str, Any]:
    t = L[lang]
    rows = res[res["category"] == category].set_index("month").reindex(span)
    minimum = privacy.min_count("signalements") or 1
    hover = [f"{label(category, lang)} · {month_text(m, lang)}<br>"
             + (t["median"].format(d=days_text(d, lang), n=fmt_number(n, lang)) if pd.notna(d)
                else t["few"].format(n=minimum) if pd.notna(n) else t["none_resolved"])
             for m, d, n in zip(span, rows["median_days"], rows["resolved"])]
    return {"name": label(category, lang), "y": [None if pd.isna(d) else float(d) for d in rows["median_days"]],
            "hover": hover, **style}


@versioned(*DATASETS)
def view_resolution(f: ReportFilter, lang: str) -> dict[str, Any]:
    t, span = L[lang], _months(f)
    res = q.query_resolution(get_db(), reports_build(), *f.months)
    if res.empty or not span:
        return _empty(t["no_data"], lang)
    if f.category:
        lines = [_median_line(res, f.category, span, lang, color=fig.CATEGORY_COLORS[f.category], width=3),
                 _median_line(res, ALL_CATEGORIES, span, lang, color=REFERENCE_COLOR, dash="dot")]
    else:
        lines = [_median_line(res, c, span, lang, color=fig.CATEGORY_COLORS[c], width=1.5) for c in CATEGORIES]
        lines.append(_median_line(res, ALL_CATEGORIES, span, lang, color=fig.ALL_COLOR, width=3, symbol="diamond"))
    figure = fig.month_lines(span, lines, t["days"], lang)
    summary = _resolution_summary(f, lang)
    shown = res[res["category"].isin([*_categories(f), ALL_CATEGORIES])]
    rows = shown.assign(category=shown["category"].map(lambda c: label(c, lang)))[["month", "category", "resolved",
                                                                                   "median_days"]]
    table = table_of([({"fr": "Mois de clôture", "en": "Month closed"}, cell_text),
                      ({"fr": "Catégorie", "en": "Category"}, cell_text),
                      ({"fr": "Signalements résolus", "en": "Reports resolved"}, cell_int),
                      ({"fr": "Délai médian", "en": "Median time"}, days_text)], rows, lang)
    return {"figure": figure, "summary": summary, "table": table}


def _resolution_summary(f: ReportFilter, lang: str) -> str:
    db, build = get_db(), reports_build()
    spans = q.query_resolution_span(db, build, f.year_from, f.year_to).set_index("category")
    minimum = privacy.min_count("signalements") or 1
    overall = days_text(spans["median_days"].get(ALL_CATEGORIES), lang)
    when = period_text(f, lang)
    if f.category:
        mine = spans["median_days"].get(f.category)
        resolved = int(spans["resolved"].get(f.category, 0))
        if lang == "fr":
            text = (f"{label(f.category, lang)} : délai médian de résolution de {days_text(mine, lang)} {when} "
                    f"({fmt_number(resolved, lang)} signalements résolus), contre {overall} toutes catégories confondues.")
        else:
            text = (f"{label(f.category, lang)}: median time to resolution of {days_text(mine, lang)} {when} "
                    f"({fmt_number(resolved, lang)} reports resolved), against {overall} for all categories.")
    else:
        medians = spans.drop(index=ALL_CATEGORIES, errors="ignore")["median_days"].dropna().sort_values()
        parts = ", ".join(f"{label(c, lang).lower()} {days_text(d, lang)}" for c, d in medians.items())
        text = (f"Délai médian de résolution {when} : {overall} toutes catégories confondues ; {parts}."
                if lang == "fr" else f"Median time to resolution {when}: {overall} for all categories; {parts}.")
    if f.year_to > f.year_from:
        key = f.category or ALL_CATEGORIES
        first = q.query_resolution_span(db, build, f.year_from, f.year_from).set_index("category")["median_days"]
        last = q.query_resolution_span(db, build, f.year_to, f.year_to).set_index("category")["median_days"]
        if pd.notna(first.get(key)) and pd.notna(last.get(key)):
            text += (f" {days_text(first[key], lang)} en {f.year_from}, {days_text(last[key], lang)} en {f.year_to}."
                     if lang == "fr" else f" {days_text(first[key], lang)} in {f.year_from}, "
                     f"{days_text(last[key], lang)} in {f.year_to}.")
    text += (f" Un mois où moins de {minimum} signalements ont été résolus n'a pas de médiane : la courbe s'interrompt."
             if lang == "fr" else f" A month with fewer than {minimum} reports resolved has no median: the line breaks.")
    return text


@versioned(*DATASETS)
def view_map(f: ReportFilter, lang: str) -> dict[str, Any]:
    t = L[lang]
    iris = query_iris(get_db(), school_build(), get_settings().city_insee)
    counts = q.query_iris_counts(get_db(), reports_build(), f.year_from, f.year_to)
    if f.category:
        counts = counts[counts["category"] == f.category]
    sums = counts.groupby("iris_code")["reports"].sum()
    values = {code: (float(sums[code]) if code in sums.index else None) for code in iris["code"]}
    if iris.empty or not sums.any():
        return _empty(t["no_data"], lang)
    what = label(f.category, lang).lower() if f.category else ""
    legend = f"{t['reports'].capitalize()}" + (f" ({what})" if what else "")
    hover = {row.code: f"<b>{row.name}</b><br>" + (f"{fmt_number(values[row.code], lang)} {t['reports']}"
                                                   if values[row.code] is not None else t["not_published"])
             for row in iris.itertuples()}
    figure = choropleth(iris, values, None, legend, lambda v: fmt_number(v, lang), hover, lang)
    summary = _map_summary(f, values, dict(zip(iris["code"], iris["name"])), lang)
    rows = pd.DataFrame({"name": iris["name"], "reports": [fmt_number(values[c], lang) if values[c] is not None
                                                           else t["not_published"] for c in iris["code"]]})
    table = table_of([({"fr": "Quartier (IRIS)", "en": "Neighbourhood (IRIS)"}, cell_text),
                      ({"fr": "Signalements", "en": "Reports"}, cell_text)], rows, lang)
    table["raw"] = [[n, None if values[c] is None else int(values[c])] for n, c in zip(iris["name"], iris["code"])]
    return {"figure": figure, "summary": summary, "table": table}


def _map_summary(f: ReportFilter, values: dict[str, float | None], names: dict[str, str], lang: str) -> str:
    """The most and fewest reports by quartier, the small-count rule with the dataset's minimum, the blanks."""
    minimum = privacy.min_count("signalements") or 1
    known = {c: v for c, v in values.items() if v is not None}
    hi, lo = max(known, key=known.get), min(known, key=known.get)
    blank = len(values) - len(known)
    what = f" ({label(f.category, lang).lower()})" if f.category else ""
    head = f"{upper_first(period_text(f, lang))}{what},"
    if len(known) == 1:
        head += (f" seul le quartier {names[hi]} a un compte publiable ({fmt_number(known[hi], lang)})." if lang == "fr"
                 else f" only {names[hi]} has a publishable count ({fmt_number(known[hi], lang)}).")
    else:
        head += (f" le quartier qui compte le plus de signalements est {names[hi]} ({fmt_number(known[hi], lang)}), "
                 f"celui qui en compte le moins {names[lo]} ({fmt_number(known[lo], lang)})." if lang == "fr" else
                 f" the neighbourhood with the most reports is {names[hi]} ({fmt_number(known[hi], lang)}), the one "
                 f"with the fewest {names[lo]} ({fmt_number(known[lo], lang)}).")
    if lang == "fr":
        rule = (f"Un compte de moins de {minimum} signalements par an et par catégorie dans un quartier n'est pas "
                "publié seul (secret statistique) : il est regroupé dans « autres », ou omis si ce groupe reste sous "
                f"{minimum}.")
        blanks = f" {blank} quartier{'s' if blank > 1 else ''} sans compte publiable, hachuré{'s' if blank > 1 else ''}."
    else:
        rule = (f"A count of fewer than {minimum} reports a year and category in a neighbourhood is not published "
                f"alone (statistical confidentiality): it is grouped into “others”, or left out if that group stays "
                f"under {minimum}.")
        blanks = f" {blank} neighbourhood{'s' if blank > 1 else ''} without a publishable count, hatched."
    return f"{head} {rule}" + (blanks if blank else "")


@versioned(*DATASETS)
def view_speed(f: ReportFilter, lang: str) -> dict[str, Any]:
    t, span = L[lang], _months(f)
    df = q.query_speed(get_db(), reports_build(), *f.months)
    df = df[df["category"].isin(_categories(f))]
    if df.empty or not span:
        return _empty(t["no_data"], lang)
    # A month's window is over or not for every category at once: its sums are all known or all NULL.
    by = df.groupby("month").agg(reports=("reports", "sum"), within_7=("within_7", lambda s: s.sum(min_count=1)),
                                 within_30=("within_30", lambda s: s.sum(min_count=1))).reindex(span)
    lines = []
    for window, dash in zip(WINDOWS, ("solid", "dash")):
        share = (by[f"within_{window}"] / by["reports"].where(by["reports"] > 0)).astype(float)
        name = t["within"].format(n=window)
        lines.append({"name": name, "y": [None if pd.isna(v) else float(v) for v in share],
                      "color": fig.WITHIN_COLORS[window], "dash": dash, "width": 2.5,
                      "hover": [f"{upper_first(month_text(m, lang))}<br>{name}{t['colon']}{cell_share(v, lang)}"
                                for m, v in zip(span, share)]})
        by[f"share_{window}"] = share
    figure = fig.month_lines(span, lines, t["share"], lang, share=True)
    summary = _speed_summary(f, by, lang)
    table = table_of([({"fr": "Mois de création", "en": "Month made"}, cell_text),
                      ({"fr": "Signalements (hors rejetés)", "en": "Reports (not rejected)"}, cell_int),
                      ({"fr": "Résolus en 7 jours au plus", "en": "Resolved within 7 days"}, cell_share),
                      ({"fr": "Résolus en 30 jours au plus", "en": "Resolved within 30 days"}, cell_share)],
                     by.reset_index()[["month", "reports", "share_7", "share_30"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


def _speed_summary(f: ReportFilter, by: pd.DataFrame, lang: str) -> str:
    def share(rows: pd.DataFrame, window: int) -> str:
        done = rows.dropna(subset=[f"within_{window}"])
        return cell_share(done[f"within_{window}"].sum() / done["reports"].sum() if done["reports"].sum() else None, lang)

    what = f" ({label(f.category, lang).lower()})" if f.category else ""
    when = period_text(f, lang)
    if lang == "fr":
        text = (f"Des signalements faits {when}{what}, hors rejetés, {share(by, 7)} ont été résolus en 7 jours au plus "
                f"et {share(by, 30)} en 30 jours au plus.")
    else:
        text = (f"Of the reports made {when}{what}, rejected ones aside, {share(by, 7)} were resolved within 7 days "
                f"and {share(by, 30)} within 30 days.")
    if f.year_to > f.year_from:
        parts = []
        for year in (f.year_from, f.year_to):
            rows = by[by.index.str.startswith(str(year))]
            parts.append(f"{'en' if lang == 'fr' else 'in'} {year}, {share(rows, 7)} {'et' if lang == 'fr' else 'and'} "
                         f"{share(rows, 30)}")
        text += f" {upper_first(' ; '.join(parts) if lang == 'fr' else '; '.join(parts))}."
    pending = [m for m in by.index if pd.isna(by.at[m, "within_30"])]
    if pending:
        months_ = ", ".join(month_text(m, lang) for m in pending)
        text += (f" Pas encore de part pour {months_} : le délai n'était pas écoulé à la date de l'export."
                 if lang == "fr" else f" No share yet for {months_}: the time had not passed at the export date.")
    return text


@versioned(*DATASETS)
def overview() -> dict[str, Any]:
    """Key figures of the whole file: reports, the share resolved, the median time, reports still open."""
    ys = years()
    out: dict[str, Any] = {"first": None, "last": None, "reports": None, "resolved": None, "median": None,
                           "open": None, "month": None}
    if not ys:
        return out
    db, build = get_db(), reports_build()
    monthly = q.query_monthly(db, build, f"{ys[0]}-01", f"{ys[-1]}-12")
    spans = q.query_resolution_span(db, build, ys[0], ys[-1]).set_index("category")
    total, closed, rejected = (int(monthly[c].sum()) for c in ("created", "closed", "rejected"))
    median = spans["median_days"].get(ALL_CATEGORIES)
    out |= {"first": ys[0], "last": ys[-1], "reports": total, "open": total - closed, "month": monthly["month"].max(),
            "resolved": (closed - rejected) / total * 100 if total else None,
            "median": None if median is None or pd.isna(median) else float(median)}
    return out


# --- registry ---------------------------------------------------------------------------------

PARAMS = (
    Param(PARAM_NATURE, ALL, lambda: [*CATEGORIES, ALL], {"fr": "Catégorie", "en": "Category"}),
    Param(PARAM_YEARS, default_span, year_spans, {"fr": "Années", "en": "Years"}),
)
COMMON = {"story": STORY, "story_path": "/signalements", "params": PARAMS, "parse": parse_filters, "depends": DATASETS}
EXPORT = ("signalements",)

register(Chart(
    slug="signalements-mois", kind="bar", **COMMON,
    title={"fr": "Les signalements mois par mois", "en": "Reports month by month"},
    datasets=EXPORT, view=lambda f, lang: view_monthly(f, lang),
    note={"fr": "Signalements faits chaque mois, par catégorie ; la ligne pointillée compte ceux clos dans le mois "
                "(résolus ou rejetés), quel que soit le mois où ils ont été faits.",
          "en": "Reports made each month, by category; the dotted line counts those closed in the month (resolved or "
                "rejected), whenever they were made."},
))
register(Chart(
    slug="signalements-delais", kind="line", **COMMON,
    title={"fr": "Combien de temps pour résoudre un signalement", "en": "How long it takes to resolve a report"},
    datasets=EXPORT, view=lambda f, lang: view_resolution(f, lang),
    note={"fr": "Médiane, par mois de clôture, du nombre de jours (week-ends compris) entre la création et la clôture "
                "des signalements résolus ; les signalements rejetés n'ont pas de délai.",
          "en": "Median, by month closed, of the days (weekends included) from creation to closing of the resolved "
                "reports; rejected reports have no resolution time."},
))
register(Chart(
    slug="signalements-carte", kind="map", **COMMON,
    title={"fr": "Les signalements quartier par quartier", "en": "Reports neighbourhood by neighbourhood"},
    datasets=("signalements", "iris-contours"), view=lambda f, lang: view_map(f, lang),
    note={"fr": "Signalements faits dans chaque quartier (IRIS) sur les années choisies ; un quartier hachuré n'a aucun "
                "compte publiable pour ce choix. Un quartier où l'on passe beaucoup signale davantage : ce n'est pas "
                "une mesure de son état.",
          "en": "Reports made in each neighbourhood (IRIS) over the chosen years; a hatched one has no publishable "
                "count for this choice. A busy neighbourhood reports more: this does not measure its condition."},
))
register(Chart(
    slug="signalements-rapidite", kind="line", **COMMON,
    title={"fr": "Résolus en une semaine, en un mois", "en": "Resolved within a week, within a month"},
    datasets=EXPORT, view=lambda f, lang: view_speed(f, lang),
    note={"fr": "Part des signalements faits dans le mois (hors rejetés) résolus en 7 jours au plus et en 30 jours au "
                "plus ; un mois dont les 7 ou 30 jours n'étaient pas écoulés à la date de l'export n'a pas encore de part.",
          "en": "Share of the reports made in the month (rejected ones aside) resolved within 7 and within 30 days; a "
                "month whose 7 or 30 days had not passed at the export date has no share yet."},
))
