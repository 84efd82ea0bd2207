"""What the commerce observatory's views share: labels, parameters, perimeter sums and cell formats.

The hypercentre's IRIS are a setting (`HYPERCENTRE_IRIS`), passed to every cached view so that its
cache key follows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from webapp.data import commerce as q
from webapp.data.commerce import (
    DATASETS,
    HYPERCENTRE,
    PERIMETERS,
    REST,
    TOWN,
    CommerceFilter,
    in_perimeter,
)
from webapp.data.store import build_id, get_db, get_settings, versioned
from webapp.figures.base import empty_figure
from webapp.formatting import fmt_percent
from webapp.i18n import N_, _
from webapp.public_error import bad_parameter

STORY = "commerces"
PARAM_YEAR, PARAM_PERIMETER = "annee", "perimetre"
# The French labels; `_(CATEGORY_LABELS[category], lang)` (or `category_label`) translates them.
CATEGORY_LABELS = {
    "alimentaire": N_("Alimentaire"), "equipement-personne": N_("Équipement de la personne"),
    "equipement-maison": N_("Équipement de la maison"), "culture-loisirs": N_("Culture et loisirs"),
    "hygiene-sante-beaute": N_("Hygiène, santé, beauté"), "cafe-hotel-restaurant": N_("Cafés, hôtels, restaurants"),
    "services": N_("Services"), "autre": N_("Autres commerces"),
}
# A perimeter as it reads inside a sentence: `_(PERIMETER_LABELS[perimeter], lang)`.
PERIMETER_LABELS = {TOWN: N_("toute la ville"), HYPERCENTRE: N_("l'hypercentre"), REST: N_("hors de l'hypercentre")}


def category_label(category: Any, lang: str) -> Any:
    """An activity's label in `lang`; a category outside the schema's list is shown as it is."""
    return _(CATEGORY_LABELS[category], lang) if category in CATEGORY_LABELS else category


def perimeter_label(perimeter: str, lang: str) -> str:
    return _(PERIMETER_LABELS[perimeter], lang)


def commerce_build() -> int:
    return build_id("commerces")


def hypercentre() -> tuple[str, ...]:
    return tuple(get_settings().hypercentre_iris)


def share(part: float, whole: float, lang: str) -> str:
    return fmt_percent(part / whole * 100, lang) if whole else "–"


def cell_share(v: Any, lang: str) -> str:
    return "–" if v is None or pd.isna(v) else fmt_percent(float(v) * 100, lang)


def empty_view(message: str, lang: str) -> dict[str, Any]:
    return {"figure": empty_figure(message, lang), "summary": message, "table": {"columns": [], "rows": [], "raw": []}}


def no_data(lang: str) -> dict[str, Any]:
    return empty_view(_("Aucune donnée pour ce choix.", lang), lang)


# --- parameters -------------------------------------------------------------------------------

@versioned(*DATASETS)
def years() -> list[int]:
    return q.query_years(get_db(), commerce_build())


def parse_filters(args: Mapping[str, str]) -> CommerceFilter:
    """Validate the observatory's parameters from a query string (raises a PublicError)."""
    allowed = [str(y) for y in years()]
    raw = (args.get(PARAM_YEAR) or (allowed[-1] if allowed else "")).strip()
    if raw not in allowed:
        raise bad_parameter(PARAM_YEAR, raw, allowed)
    perimeter = (args.get(PARAM_PERIMETER) or TOWN).strip()
    if perimeter not in PERIMETERS:
        raise bad_parameter(PARAM_PERIMETER, perimeter, list(PERIMETERS))
    return CommerceFilter(int(raw), perimeter)


def filter_query(f: CommerceFilter) -> dict[str, str]:
    """The query-string form of a filter, defaults left out (the shareable URL)."""
    out = {}
    span = years()
    if span and f.year != span[-1]:
        out[PARAM_YEAR] = str(f.year)
    if f.perimeter != TOWN:
        out[PARAM_PERIMETER] = f.perimeter
    return out


# --- sums -------------------------------------------------------------------------------------

def perimeter_totals(stock: pd.DataFrame, hyper: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Per perimeter, the yearly sums of units, vacant units, openings and closures."""
    out = {}
    for perimeter in PERIMETERS:
        rows = stock[in_perimeter(stock["iris_code"], perimeter, hyper)]
        sums = rows.groupby("year")[["units", "vacant", "openings", "closures"]].sum()
        out[perimeter] = sums.reindex(sorted(stock["year"].unique()), fill_value=0)
    return out
