"""The citizen reports story's charts: their registry, and every name of the story's modules in one place.

Every figure reads rollups computed when the reporting app's export was published
(`webapp.data.importers.reports`): reports per month and category, resolution times per month and
per span of years, the share resolved within 7 and 30 days, reports per IRIS. Counts per IRIS
below the dataset's minimum were grouped or left out then: the map can only show what was kept,
and says so.

- `reports_params`: parameters (categories, years, months), the filters of a query string, text helpers,
  the key figures of the whole file;
- `reports_activity`: what is reported, month by month and quartier by quartier;
- `reports_delays`: what the city does with it, the median time to resolve and the share resolved fast.
"""

from __future__ import annotations

from webapp.charts import Chart, Param, register
from webapp.charts.reports_activity import view_map, view_monthly
from webapp.charts.reports_delays import view_resolution, view_speed
from webapp.charts.reports_params import (  # noqa: F401 (the story's names, imported from here)
    ALL,
    CATEGORY_LABELS,
    PARAM_NATURE,
    PARAM_YEARS,
    STORY,
    categories_of,
    category_suffix,
    cell_share,
    days_text,
    default_span,
    filter_query,
    label,
    months,
    months_of,
    no_data,
    overview,
    parse_filters,
    period_text,
    reports_build,
    span_value,
    year_spans,
    years,
)
from webapp.data.importers.reports import CATEGORIES
from webapp.data.reports import DATASETS
from webapp.i18n import _l

PARAMS = (
    Param(PARAM_NATURE, ALL, lambda: [*CATEGORIES, ALL], _l("Catégorie")),
    Param(PARAM_YEARS, default_span, year_spans, _l("Années")),
)
COMMON = {"story": STORY, "story_path": "/signalements", "params": PARAMS, "parse": parse_filters, "depends": DATASETS}
EXPORT = ("signalements",)

register(Chart(
    slug="signalements-mois", kind="bar", **COMMON,
    title=_l("Les signalements mois par mois"),
    datasets=EXPORT, view=lambda f, lang: view_monthly(f, lang),
    note=_l("Signalements faits chaque mois, par catégorie ; la ligne pointillée compte ceux clos dans le mois "
            "(résolus ou rejetés), quel que soit le mois où ils ont été faits."),
))
register(Chart(
    slug="signalements-delais", kind="line", **COMMON,
    title=_l("Combien de temps pour résoudre un signalement"),
    datasets=EXPORT, view=lambda f, lang: view_resolution(f, lang),
    note=_l("Médiane, par mois de clôture, du nombre de jours (week-ends compris) entre la création et la clôture "
            "des signalements résolus ; les signalements rejetés n'ont pas de délai."),
))
register(Chart(
    slug="signalements-carte", kind="map", **COMMON,
    title=_l("Les signalements quartier par quartier"),
    datasets=("signalements", "iris-contours"), view=lambda f, lang: view_map(f, lang),
    note=_l("Signalements faits dans chaque quartier (IRIS) sur les années choisies ; un quartier hachuré n'a aucun "
            "compte publiable pour ce choix. Un quartier où l'on passe beaucoup signale davantage : ce n'est pas "
            "une mesure de son état."),
))
register(Chart(
    slug="signalements-rapidite", kind="line", **COMMON,
    title=_l("Résolus en une semaine, en un mois"),
    datasets=EXPORT, view=lambda f, lang: view_speed(f, lang),
    note=_l("Part des signalements faits dans le mois (hors rejetés) résolus en 7 jours au plus et en 30 jours au "
            "plus ; un mois dont les 7 ou 30 jours n'étaient pas écoulés à la date de l'export n'a pas encore de "
            "part."),
))
