"""The commerce observatory's charts: parameters, the key figures and the registry.

Every figure reads rollups computed when the inventory was published (`webapp.data.importers.commerce`):
each unit's state at each year-end, stock and flows and the activity mix per IRIS, the units around
each counting point, Sirene's creations and closures. Perimeters are sums of IRIS rows; the
hypercentre's IRIS are a setting (`HYPERCENTRE_IRIS`), passed to every cached view so that its
cache key follows them. The views are in `commerce_trends` (over the years) and `commerce_year`
(at one year-end); what they share is in `commerce_common`.
"""

from __future__ import annotations

from typing import Any

from webapp.charts import Chart, Param, register
from webapp.charts.commerce_common import (  # noqa: F401  (the observatory's names, imported from here)
    CATEGORY_LABELS,
    PARAM_PERIMETER,
    PARAM_YEAR,
    PERIMETER_LABELS,
    STORY,
    category_label,
    cell_share,
    commerce_build,
    empty_view,
    filter_query,
    hypercentre,
    parse_filters,
    perimeter_label,
    perimeter_totals,
    share,
    years,
)
from webapp.charts.commerce_trends import view_flows, view_vacancy
from webapp.charts.commerce_year import view_footfall, view_map, view_mix
from webapp.formatting import upper_first  # noqa: F401
from webapp.data import commerce as q
from webapp.data.commerce import DATASETS, HYPERCENTRE, PERIMETERS, TOWN
from webapp.data.footfall import DATASETS as FOOTFALL_DATASETS
from webapp.data.store import get_db, versioned
from webapp.i18n import _l


@versioned(*DATASETS)
def overview(hyper: tuple[str, ...]) -> dict[str, Any]:
    """Key figures: the hypercentre's vacancy at the first and last year-ends, the units, the independents."""
    stock = q.query_stock(get_db(), commerce_build())
    out: dict[str, Any] = {"first": None, "last": None, "rate_first": None, "rate_last": None, "units": None,
                           "independent": None}
    if stock.empty:
        return out
    sums = perimeter_totals(stock, hyper)
    hyper_sums = sums[HYPERCENTRE] if sums[HYPERCENTRE]["units"].any() else sums[TOWN]
    first, last = int(hyper_sums.index[0]), int(hyper_sums.index[-1])
    out |= {"first": first, "last": last, "units": int(sums[TOWN].loc[last, "units"]),
            "rate_first": float(hyper_sums.loc[first, "vacant"] / hyper_sums.loc[first, "units"]) * 100,
            "rate_last": float(hyper_sums.loc[last, "vacant"] / hyper_sums.loc[last, "units"]) * 100,
            "hyper_found": bool(sums[HYPERCENTRE]["units"].any())}
    mix = q.query_mix(get_db(), commerce_build(), last)
    if not mix.empty and mix["businesses"].sum():
        out["independent"] = float(mix["independents"].sum() / mix["businesses"].sum()) * 100
    return out


# --- registry ---------------------------------------------------------------------------------

PARAMS = (
    Param(PARAM_YEAR, lambda: str((years() or [""])[-1]), lambda: [str(y) for y in years()],
          _l("Année (fin d'année)")),
    Param(PARAM_PERIMETER, TOWN, lambda: list(PERIMETERS), _l("Périmètre")),
)
COMMON = {"story": STORY, "story_path": "/commerces", "params": PARAMS, "parse": parse_filters}
INVENTORY = ("commerces",)

register(Chart(
    slug="commerces-vacance", kind="line", **COMMON, depends=DATASETS,
    title=_l("La vacance commerciale année après année"),
    datasets=INVENTORY, view=lambda f, lang: view_vacancy(hypercentre(), lang),
    note=_l("Part des cellules commerciales vacantes au 31 décembre ; la première année est l'état du premier relevé."),
))
register(Chart(
    slug="commerces-flux", kind="bar", **COMMON, depends=DATASETS,
    title=_l("Ouvertures et fermetures de commerces"),
    datasets=("commerces", "sirene-etablissements"), view=lambda f, lang: view_flows(f.perimeter, hypercentre(), lang),
    note=_l("Une reprise compte une fermeture et une ouverture. Les créations Sirene (toute la ville) sont des dates "
            "administratives : une création précède l'ouverture, et une fermeture est souvent déclarée tard."),
))
register(Chart(
    slug="commerces-activites", kind="bar", **COMMON, depends=DATASETS,
    title=_l("Les activités des commerces"),
    datasets=INVENTORY, view=lambda f, lang: view_mix(f.year, f.perimeter, hypercentre(), lang),
))
register(Chart(
    slug="commerces-carte", kind="map", **COMMON, depends=(*DATASETS, "iris-contours"),
    title=_l("Les cellules commerciales, occupées ou vacantes"),
    datasets=("commerces", "iris-contours"), view=lambda f, lang: view_map(f.year, f.perimeter, hypercentre(), lang),
    note=_l("Une croix marque une cellule vacante, un rond une cellule occupée. Le tableau compte les cellules par rue."),
))
register(Chart(
    slug="commerces-frequentation", kind="scatter", **COMMON, depends=tuple(sorted({*DATASETS, *FOOTFALL_DATASETS})),
    title=_l("Vacance et fréquentation des rues"),
    datasets=("commerces", "comptage-mesures"), view=lambda f, lang: view_footfall(f.year, lang),
    note=_l("Chaque cercle est un point de comptage : passages de piétons par jour compté dans l'année, et part des "
            "cellules vacantes dans un rayon de 150 m ; sa taille suit le nombre de cellules. Un lien, pas une cause."),
))
