"""The housing story's filters and what its charts share: labels, years, the store's yearly series.

Every figure reads rows computed when the files were published (`webapp.data.importers.housing`):
medians per span of years, place and dwelling type. A median from fewer than `MIN_SALES` sales is
not in the store; the charts leave a gap there and say why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from webapp.charts.geography import iris_choices
from webapp.data import housing as q
from webapp.data.housing import BOTH, INDICATORS, TYPES, HousingFilter
from webapp.data.importers.housing import MIN_SALES
from webapp.data.store import build_id, frame_from_cache, get_db, get_settings, versioned
from webapp.figures.base import empty_figure
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import N_, _, ngettext
from webapp.public_error import bad_parameter

STORY = "logement"
PARAM_TYPE, PARAM_FROM, PARAM_TO, PARAM_QUARTIER, PARAM_INDICATOR = "type", "debut", "fin", "quartier", "indicateur"
ALL = "tous"

TYPE_LABELS = {"appartement": N_("Appartements"), "maison": N_("Maisons"), "tous": N_("Appartements et maisons")}
INDICATOR_LABELS = {
    "prix": N_("Prix médian au m²"), "ventes": N_("Nombre de ventes"), "vacance": N_("Part de logements vacants"),
    "hlm": N_("Part de locataires HLM"), "revenu": N_("Revenu médian déclaré"),
}


def type_label(kind: str, lang: str) -> str:
    """"Appartements", "Maisons" or both, in `lang`."""
    return _(TYPE_LABELS[kind], lang)


def indicator_label(indicator: str, lang: str) -> str:
    return _(INDICATOR_LABELS[indicator], lang)


def housing_build() -> int:
    """The build of the housing tables for the versions this request is served."""
    return build_id("logement")


# --- parameters -------------------------------------------------------------------------------

@versioned("dvf", "iris-contours")
def year_span() -> list[int] | None:
    """The first and last year of the town's sales (the allowed values of `debut` and `fin`)."""
    span = q.query_years(get_db(), housing_build(), get_settings().city_insee)
    return list(span) if span else None


def allowed_years() -> list[str]:
    span = year_span()
    return [str(y) for y in range(span[0], span[1] + 1)] if span else []


def parse_filters(args: Mapping[str, str]) -> HousingFilter:
    """Validate `type`, `debut`, `fin`, `quartier`, `indicateur` from a query string.

    A span given backwards (`debut` after `fin`) is read the right way round.
    """
    kind = (args.get(PARAM_TYPE) or ALL).strip()
    if kind not in (*TYPES, BOTH):
        raise bad_parameter(PARAM_TYPE, kind, [*TYPES, BOTH])
    years = allowed_years()
    bounds = []
    for name, default in ((PARAM_FROM, years[0] if years else ""), (PARAM_TO, years[-1] if years else "")):
        raw = (args.get(name) or default).strip()
        if raw not in years:
            raise bad_parameter(name, raw, years)
        bounds.append(int(raw))
    first, last = sorted(bounds)
    quartier = (args.get(PARAM_QUARTIER) or ALL).strip()
    codes = frame_from_cache(iris_choices())["code"].tolist()
    if quartier not in (*codes, ALL):
        raise bad_parameter(PARAM_QUARTIER, quartier, [*codes, ALL])
    indicator = (args.get(PARAM_INDICATOR) or INDICATORS[0]).strip()
    if indicator not in INDICATORS:
        raise bad_parameter(PARAM_INDICATOR, indicator, list(INDICATORS))
    return HousingFilter(kind, first, last, None if quartier == ALL else quartier, indicator)


def filter_query(f: HousingFilter) -> dict[str, str]:
    """The query-string form of a filter, defaults left out (the shareable URL)."""
    years = allowed_years()
    out = {}
    if f.dwelling_type != BOTH:
        out[PARAM_TYPE] = f.dwelling_type
    if years and f.year_from != int(years[0]):
        out[PARAM_FROM] = str(f.year_from)
    if years and f.year_to != int(years[-1]):
        out[PARAM_TO] = str(f.year_to)
    if f.iris:
        out[PARAM_QUARTIER] = f.iris
    if f.indicator != INDICATORS[0]:
        out[PARAM_INDICATOR] = f.indicator
    return out


def quartier_names() -> dict[str, str]:
    quartiers = frame_from_cache(iris_choices())
    return dict(zip(quartiers["code"], quartiers["name"]))


# --- formatting helpers ----------------------------------------------------------------------------

def eur_m2(v: Any, lang: str) -> str:
    return "" if v is None or pd.isna(v) else f"{fmt_number(v, lang)} €/m²"


def pct(v: Any, lang: str) -> str:
    return "" if v is None or pd.isna(v) else fmt_percent(v, lang)


def sales_text(n: Any, lang: str) -> str:
    """"1 234 ventes": a count of sales."""
    return ngettext("{n} vente", "{n} ventes", n, lang, n=fmt_number(n, lang))


def few_sales(lang: str) -> str:
    """Why a median is missing: "moins de 5 ventes"."""
    return _("moins de {n} ventes", lang, n=MIN_SALES)


def labelled(label: str, value: str, lang: str) -> str:
    """"Label : value", with the colon the language wants."""
    return _("{label}\u202f: {value}", lang, label=label, value=value)


def years_list(years: list[int], lang: str) -> str:
    """"2019", "2019 et 2021", "2017, 2019 et 2021"."""
    if len(years) == 1:
        return str(years[0])
    return _("{items} et {last}", lang, items=", ".join(map(str, years[:-1])), last=years[-1])


def types_of(f: HousingFilter) -> tuple[str, ...]:
    return TYPES if f.dwelling_type == BOTH else (f.dwelling_type,)


def mid_year(year: int) -> str:
    return f"{year}-07-01"


def yearly(iris: str, f: HousingFilter) -> pd.DataFrame:
    s = get_settings()
    return q.query_yearly(get_db(), housing_build(), s.city_insee, iris, f.year_from, f.year_to)


def series(df: pd.DataFrame, kind: str, years: list[int], column: str) -> list[float | None]:
    """One value per year (None where the store has none: a gap, not a zero)."""
    values = df[df["dwelling_type"] == kind].set_index("year")[column]
    return [None if y not in values.index or pd.isna(values[y]) else float(values[y]) for y in years]


def no_sales_view(lang: str) -> dict[str, Any]:
    message = _("Aucune vente de ce type sur la période choisie.", lang)
    return {"figure": empty_figure(message, lang), "summary": message,
            "table": {"columns": [], "rows": [], "raw": []}}


def not_published_view(lang: str) -> dict[str, Any]:
    message = _("non publié", lang)
    return {"figure": empty_figure(message, lang), "summary": message,
            "table": {"columns": [], "rows": [], "raw": []}}
