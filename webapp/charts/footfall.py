"""The footfall story's charts: their registry, and every name of the story's modules in one place.

- `footfall_params`: parameters (points, months, zones, events), the filters of a query string, text helpers;
- `footfall_counters`: views of the pedestrian counters (days, the week's hours, the map, an event), key figures;
- `footfall_visitors`: views of Flux Vision (visitors per category, their origins).
"""

from __future__ import annotations

from webapp.charts import Chart, Param, register
from webapp.charts.footfall_counters import (  # noqa: F401 (the story's names, imported from here)
    empty_view,
    event_span,
    no_data,
    overview,
    view_daily,
    view_event,
    view_map,
    view_week,
)
from webapp.charts.footfall_params import (  # noqa: F401 (the story's names, imported from here)
    BASELINE_WEEKS,
    CATEGORY_LABELS,
    CATEGORY_PARAM,
    PARAM_CATEGORY,
    PARAM_END,
    PARAM_EVENT,
    PARAM_FROM,
    PARAM_POINT,
    PARAM_START,
    PARAM_TO,
    PARAM_ZONE,
    STORY,
    WEEKDAYS,
    category_label,
    default_event,
    events,
    filter_query,
    footfall_build,
    month_text,
    months,
    parse_filters,
    points,
    signed,
    upper_first,
    weekday_names,
    where,
    zones,
)
from webapp.charts.footfall_visitors import view_origins, view_visitors
from webapp.data.footfall import ALL, DATASETS
from webapp.i18n import _l

PARAMS = (
    Param(PARAM_POINT, ALL, lambda: [*points(), ALL], _l("Point de comptage")),
    Param(PARAM_FROM, lambda: (months() or [""])[0], months, _l("Premier mois")),
    Param(PARAM_TO, lambda: (months() or [""])[-1], months, _l("Dernier mois")),
    Param(PARAM_ZONE, ALL, lambda: [*zones(), ALL], _l("Zone (Flux Vision)")),
    Param(PARAM_CATEGORY, ALL, lambda: [*CATEGORY_PARAM, ALL], _l("Visiteurs")),
    Param(PARAM_EVENT, default_event, lambda: list(events()), _l("Événement")),
)
COMMON = {"story": STORY, "story_path": "/frequentation", "depends": tuple(sorted({*DATASETS, "iris-contours"})),
          "params": PARAMS, "parse": parse_filters}
COUNTERS = ("comptage-mesures", "comptage-sites")
POINT_PERIOD = ("point", "first", "last")

register(Chart(
    slug="frequentation-jours", kind="bar", **COMMON,
    title=_l("Passages de piétons jour par jour"),
    datasets=COUNTERS, view=lambda f, lang: view_daily(f.only(*POINT_PERIOD), lang),
    note=_l("Une journée dont une heure manque n'est pas comptée (pas de barre) ; la moyenne sur 7 jours demande "
            "au moins 4 jours comptés."),
))
register(Chart(
    slug="frequentation-semaine", kind="bar", **COMMON,
    title=_l("Les heures d'affluence de la semaine"),
    datasets=COUNTERS, view=lambda f, lang: view_week(f.only(*POINT_PERIOD), lang),
    note=_l("Moyenne, pour chaque jour de la semaine et chaque heure, des passages comptés sur la période."),
))
register(Chart(
    slug="frequentation-carte", kind="map", **COMMON,
    title=_l("Les points de comptage"),
    datasets=("comptage-sites", "comptage-mesures", "iris-contours"),
    view=lambda f, lang: view_map(f.only(*POINT_PERIOD), lang),
    note=_l("Touchez un point pour afficher sa fréquentation dans les autres graphiques."),
))
register(Chart(
    slug="frequentation-evenement", kind="bar", **COMMON,
    title=_l("L'effet d'un événement"),
    datasets=COUNTERS, view=lambda f, lang: view_event(f.only("point", "event"), lang),
    note=_l("Chaque jour de l'événement est comparé à la moyenne des mêmes jours de la semaine des 4 semaines "
            "qui le précèdent."),
))
register(Chart(
    slug="frequentation-visiteurs", kind="bar", **COMMON,
    title=_l("Résidents, excursionnistes et touristes"),
    datasets=("flux-vision",), view=lambda f, lang: view_visitors(f.only("first", "last", "zone", "category"), lang),
    note=_l("Présences estimées par Orange Business à partir de son réseau mobile : un excursionniste vient pour "
            "la journée, un touriste passe au moins une nuit sur place."),
))
register(Chart(
    slug="frequentation-origines", kind="bar", **COMMON,
    title=_l("D'où viennent les visiteurs"),
    datasets=("flux-vision",), view=lambda f, lang: view_origins(f.only("first", "last", "zone"), lang),
))
