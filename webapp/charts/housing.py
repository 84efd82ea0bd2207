"""The housing story's charts: the registry of its four charts, and the names the story's pages use.

The parameters and shared helpers are in `housing_filters`, the views in `housing_prices` (prices,
sales), `housing_map`, `housing_stock`, and "mon quartier" in `housing_neighbourhood`.
"""

from __future__ import annotations

from webapp.charts import Chart, Param, register
from webapp.charts.housing_filters import (
    ALL,
    INDICATOR_LABELS,
    PARAM_FROM,
    PARAM_INDICATOR,
    PARAM_QUARTIER,
    PARAM_TO,
    PARAM_TYPE,
    STORY,
    TYPE_LABELS,
    allowed_years,
    filter_query,
    housing_build,
    indicator_label,
    parse_filters,
    quartier_names,
    type_label,
    year_span,
)
from webapp.charts.housing_map import indicator_values, view_map
from webapp.charts.housing_neighbourhood import neighbourhood, overview
from webapp.charts.housing_prices import view_prices, view_sales
from webapp.charts.housing_stock import STOCK_LABELS, STOCK_PARTS, view_stock
from webapp.charts.geography import iris_choices
from webapp.data import housing as q
from webapp.data.housing import BOTH, INDICATORS, TYPES
from webapp.data.importers.housing import MIN_SALES
from webapp.data.store import frame_from_cache
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import _l

__all__ = [
    "ALL", "COMMON", "INDICATOR_LABELS", "MIN_SALES", "OUTLIER_NOTE", "PARAMS", "PARAM_FROM", "PARAM_INDICATOR",
    "PARAM_QUARTIER", "PARAM_TO", "PARAM_TYPE", "STOCK_LABELS", "STOCK_PARTS", "STORY", "TYPE_LABELS",
    "allowed_years", "filter_query", "fmt_number", "fmt_percent", "housing_build", "indicator_label",
    "indicator_values", "neighbourhood", "overview", "parse_filters", "quartier_names", "type_label", "view_map",
    "view_prices", "view_sales", "view_stock", "year_span",
]

PARAMS = (
    Param(PARAM_TYPE, ALL, lambda: [*TYPES, BOTH], _l("Type de logement")),
    Param(PARAM_FROM, lambda: (allowed_years() or [""])[0], allowed_years, _l("Première année")),
    Param(PARAM_TO, lambda: (allowed_years() or [""])[-1], allowed_years, _l("Dernière année")),
    Param(PARAM_QUARTIER, ALL, lambda: [*frame_from_cache(iris_choices())["code"], ALL], _l("Quartier (code IRIS)")),
    Param(PARAM_INDICATOR, INDICATORS[0], lambda: list(INDICATORS), _l("Indicateur de la carte")),
)
COMMON = {"story": STORY, "story_path": "/logement", "depends": tuple(sorted(q.DATASETS)), "params": PARAMS,
          "parse": parse_filters}
OUTLIER_NOTE = _l("Prix au m² de surface bâtie des ventes d'un seul type de logement. Pas de médiane sous {n} ventes. "
                  "Les prix au m² très éloignés de ceux de la même année et du même type (au-delà de trois écarts "
                  "interquartiles) sont écartés de la médiane : ventes entre proches, parts de biens, surfaces mal "
                  "saisies.", n=MIN_SALES)

register(Chart(
    slug="logement-prix", kind="line", **COMMON,
    title=_l("Prix médian au m² des logements"),
    datasets=("dvf", "dvf-departements"), note=OUTLIER_NOTE,
    view=lambda f, lang: view_prices(f.only("dwelling_type", "year_from", "year_to", "iris"), lang),
))
register(Chart(
    slug="logement-ventes", kind="bar", **COMMON,
    title=_l("Ventes de logements par an"),
    datasets=("dvf",),
    view=lambda f, lang: view_sales(f.only("dwelling_type", "year_from", "year_to", "iris"), lang),
    note=_l("Ventes d'appartements ou de maisons, une vente pouvant porter sur plusieurs logements du même type."),
))
register(Chart(
    slug="logement-carte", kind="map", **COMMON,
    title=_l("Les quartiers en carte"),
    datasets=("dvf", "logement-iris", "revenus-iris", "iris-contours"), view=view_map,
    note=_l("Un quartier sans valeur publiable (moins de {n} ventes, ou donnée non publiée par l'INSEE) est "
            "laissé en blanc et hachuré. Touchez un quartier pour afficher ses chiffres.", n=MIN_SALES),
))
register(Chart(
    slug="logement-parc", kind="bar", **COMMON,
    title=_l("Le parc de logements"),
    datasets=("logement-iris",), view=lambda f, lang: view_stock(f.only("iris"), lang),
    note=_l("Recensement de la population : effectifs pondérés, arrondis à l'affichage."),
))
