"""The citizen reports story's parameters: categories, years and months, the filters of a query string.

Also the small text helpers its views and page share (category names, days, periods, shares), and the
key figures of the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from webapp.data import reports as q
from webapp.data.importers.reports import ALL_CATEGORIES, CATEGORIES
from webapp.data.reports import DATASETS, ReportFilter
from webapp.data.store import build_id, get_db, versioned
from webapp.figures.base import empty_figure
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import N_, _, ngettext
from webapp.public_error import bad_parameter

STORY = "signalements"
PARAM_NATURE, PARAM_YEARS = "nature", "annees"
ALL = "tous"
CATEGORY_LABELS = {"voirie": N_("Voirie"), "proprete": N_("Propreté"), "eclairage": N_("Éclairage public"),
                   "graffitis": N_("Tags et affichage"), "espaces-verts": N_("Espaces verts"),
                   "mobilier-urbain": N_("Mobilier urbain"), ALL_CATEGORIES: N_("Toutes catégories")}


def reports_build() -> int:
    return build_id("signalements")


def label(category: str, lang: str) -> str:
    """'eclairage' -> 'Éclairage public' (fr) or 'Street lighting' (en); an unknown key as it is."""
    return _(CATEGORY_LABELS[category], lang) if category in CATEGORY_LABELS else category


def days_text(value: Any, lang: str) -> str:
    """'1,5 jour', '12 jours' (fr), '1.5 days' (en): each language's plural rule."""
    if value is None or pd.isna(value):
        return "–"
    shown = fmt_number(value, lang, 0 if float(value).is_integer() else 1)
    return ngettext("{n} jour", "{n} jours", abs(float(value)), lang, n=shown)


def cell_share(v: Any, lang: str) -> str:
    return "–" if v is None or pd.isna(v) else fmt_percent(float(v) * 100, lang)


def period_text(f: ReportFilter, lang: str) -> str:
    """'en 2024', 'de 2023 à 2025' (fr); 'in 2024', 'from 2023 to 2025' (en)."""
    if f.year_from == f.year_to:
        return _("en {year}", lang, year=f.year_from)
    return _("de {first} à {last}", lang, first=f.year_from, last=f.year_to)


def category_suffix(f: ReportFilter, lang: str) -> str:
    """' (voirie)' after a count of one category's reports; nothing for every category."""
    return f" ({label(f.category, lang).lower()})" if f.category else ""


def no_data(lang: str) -> dict[str, Any]:
    """The view of a choice without reports: an empty figure that says so, and an empty table."""
    message = _("Aucun signalement pour ce choix.", lang)
    return {"figure": empty_figure(message, lang), "summary": message, "table": {"columns": [], "rows": [], "raw": []}}


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
    """Validate `nature` and `annees` from a query string (raises a PublicError).

    A span given backwards ("2025-2023") is read the right way round.
    """
    nature = (args.get(PARAM_NATURE) or ALL).strip()
    if nature not in (*CATEGORIES, ALL):
        raise bad_parameter(PARAM_NATURE, nature, [*CATEGORIES, ALL])
    raw = (args.get(PARAM_YEARS) or default_span()).strip()
    found = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", raw)
    bounds = sorted(int(y) for y in found.groups() if y) if found else []
    if not bounds or any(y not in years() for y in bounds):
        raise bad_parameter(PARAM_YEARS, raw, year_spans())
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


def categories_of(f: ReportFilter) -> list[str]:
    """The categories a filter shows: its own, or every one."""
    return [f.category] if f.category else list(CATEGORIES)


def months_of(f: ReportFilter) -> list[str]:
    """The months of the file within the filter's years."""
    first, last = f.months
    return [m for m in months() if first <= m <= last]


# --- key figures ------------------------------------------------------------------------------

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
