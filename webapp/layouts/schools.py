"""The schools story at /ecoles: key figures, narrative, filters and the charts of the registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from webapp.charts import charts_of
from webapp.charts import schools as sc
from webapp.data import texts
from webapp.data.schools import LEVELS
from webapp.data.store import frame_from_cache, get_settings
from webapp.figures.schools import LEVEL_PLURALS
from webapp.formatting import fmt_number, fmt_percent, fmt_school_year
from webapp.i18n import of_city
from webapp.layouts.components import chart_block, key_figure

SLUG = "ecoles"
LEVEL_ID, SECTOR_ID, QUARTIER_ID = f"{SLUG}-niveau", f"{SLUG}-secteur", f"{SLUG}-quartier"
STATUS_ID = f"{SLUG}-status"

T = {
    "fr": {
        "title": "Les écoles, collèges et lycées {of_city}",
        "description": "Carte des établissements scolaires {of_city}, indice de position sociale, effectifs et "
                       "réussite au brevet, sur les données ouvertes du ministère de l'Éducation nationale.",
        "lead": "Où sont les établissements scolaires {of_city}, quel est le milieu social de leurs élèves, combien "
                "d'élèves accueillent-ils et comment réussissent-ils au brevet ? Tout vient des données ouvertes du "
                "ministère de l'Éducation nationale.",
        "filters": "Filtrer les établissements",
        "level": "Niveau", "sector": "Secteur", "quartier": "Quartier",
        "all_sectors": "Public et privé", "public": "Public", "prive": "Privé sous contrat",
        "all_quartiers": "Toute la ville",
        "level_names": {"ecole": "Écoles", "college": "Collèges", "lycee": "Lycées"},
        "key_schools": "{level} avec un IPS publié",
        "key_pupils": "élèves dans les collèges ({year})",
        "key_dnb": "de réussite au brevet en {session} (série générale), contre {ref} dans le {dep}",
        "missing": "Ce que les données ne disent pas",
        "missing_text": "Le nombre d'élèves des écoles maternelles et élémentaires {of_city} et leurs adresses "
                        "géolocalisées ne figurent pas dans les fichiers ouverts utilisés : les écoles apparaissent "
                        "donc dans l'indice de position sociale, mais ni sur la carte ni dans les effectifs. Ce site "
                        "ne les invente pas.",
        "narrative": "{city} compte {ecoles} écoles élémentaires ou primaires dont l'IPS est publié, {colleges} "
                     "collèges et {lycees} lycées ; {private} de ces établissements sont privés sous contrat. "
                     "{priority_text}",
        "priority_one": "Un collège relève de l'éducation prioritaire (REP).",
        "priority_many": "{n} collèges relèvent de l'éducation prioritaire (REP ou REP+).",
        "priority_none": "Aucun collège ne relève de l'éducation prioritaire.",
        "status": "Graphiques mis à jour pour : {what}.",
    },
    "en": {
        "title": "Schools of {city}",
        "description": "Map of {city}'s schools, social position index, pupil counts and brevet results, from the "
                       "Ministry of Education's open data.",
        "lead": "Where are {city}'s schools, what is the social background of their pupils, how many pupils do they "
                "teach and how do they do at the brevet? Everything comes from the Ministry of Education's open data.",
        "filters": "Filter the schools",
        "level": "Level", "sector": "Sector", "quartier": "Neighbourhood",
        "all_sectors": "Public and private", "public": "Public", "prive": "Private (state-contracted)",
        "all_quartiers": "Whole town",
        "level_names": {"ecole": "Primary schools", "college": "Collèges", "lycee": "Lycées"},
        "key_schools": "{level} with a published IPS",
        "key_pupils": "pupils in collèges ({year})",
        "key_dnb": "brevet success in {session} (general track), against {ref} in {dep}",
        "missing": "What the data does not say",
        "missing_text": "Pupil counts and geolocated addresses of {city}'s nursery and primary schools are not in the "
                        "open files used: primary schools therefore appear in the social position index, but not on "
                        "the map nor in the pupil counts. This site does not make them up.",
        "narrative": "{city} has {ecoles} primary schools with a published IPS, {colleges} collèges and {lycees} "
                     "lycées; {private} of them are private (state-contracted). {priority_text}",
        "priority_one": "One collège belongs to priority education (REP).",
        "priority_many": "{n} collèges belong to priority education (REP or REP+).",
        "priority_none": "No collège belongs to priority education.",
        "status": "Charts updated for: {what}.",
    },
}


def _say(key: str, lang: str) -> str:
    """A text of the page with the town's name filled in."""
    city = get_settings().city_name
    return T[lang][key].format(city=city, of_city=of_city(city))


texts.register("ecoles.lead", {"fr": "Récit des écoles : introduction", "en": "Schools story: introduction"},
               lambda lang: _say("lead", lang))
texts.register("ecoles.missing", {"fr": "Récit des écoles : ce que les données ne disent pas",
                                  "en": "Schools story: what the data does not say"},
               lambda lang: _say("missing_text", lang))


def title(lang: str) -> str:
    return _say("title", lang)


def description(lang: str) -> str:
    return _say("description", lang)


def filters_block(f: Any, lang: str) -> html.Section:
    t = T[lang]
    quartiers = frame_from_cache(sc.iris_choices())
    return html.Section(
        [
            html.H2(t["filters"], className="h5"),
            html.Div([
                html.Fieldset([
                    html.Legend(t["level"], className="form-label fw-semibold fs-6"),
                    dbc.Checklist(id=LEVEL_ID, options=[{"label": t["level_names"][lv], "value": lv} for lv in LEVELS],
                                  value=list(f.levels), className="filter-options"),
                ], className="filter-group"),
                html.Fieldset([
                    html.Legend(t["sector"], className="form-label fw-semibold fs-6"),
                    dbc.RadioItems(id=SECTOR_ID, options=[
                        {"label": t["all_sectors"], "value": sc.ALL},
                        {"label": t["public"], "value": "public"},
                        {"label": t["prive"], "value": "prive"},
                    ], value=f.sector or sc.ALL, className="filter-options"),
                ], className="filter-group"),
                html.Fieldset([
                    html.Legend(t["quartier"], className="form-label fw-semibold fs-6"),
                    dbc.RadioItems(id=QUARTIER_ID, options=[{"label": t["all_quartiers"], "value": sc.ALL}] + [
                        {"label": name, "value": code} for code, name in zip(quartiers["code"], quartiers["name"])
                    ], value=f.iris or sc.ALL, className="filter-options filter-quartiers"),
                ], className="filter-group"),
            ], className="filters-row"),
            html.P(id=STATUS_ID, className="visually-hidden", role="status"),
        ],
        className="filters", **{"aria-label": t["filters"]},
    )


def key_figures(lang: str) -> html.Div:
    t, s, o = T[lang], get_settings(), sc.overview()
    figures = [key_figure(fmt_number(o["counts"][lv], lang), t["key_schools"].format(level=LEVEL_PLURALS[lang][lv]))
               for lv in LEVELS]
    if o["college_pupils"]:
        figures.append(key_figure(fmt_number(o["college_pupils"], lang),
                                  t["key_pupils"].format(year=fmt_school_year(o["college_year"]))))
    if o["dnb_rate"] is not None:
        figures.append(key_figure(fmt_percent(o["dnb_rate"], lang), t["key_dnb"].format(
            session=o["dnb_session"], ref=fmt_percent(o["dnb_reference"], lang), dep=s.city_department_name)))
    return html.Div(figures, className="key-figures")


def status_text(f: Any, lang: str) -> str:
    """What the charts now show, read out by screen readers after a filter change."""
    t = T[lang]
    quartiers = frame_from_cache(sc.iris_choices())
    names = dict(zip(quartiers["code"], quartiers["name"]))
    parts = [", ".join(t["level_names"][lv] for lv in f.levels),
             {None: t["all_sectors"], "public": t["public"], "prive": t["prive"]}[f.sector],
             names.get(f.iris, t["all_quartiers"])]
    return t["status"].format(what=" ; ".join(parts) if lang == "fr" else "; ".join(parts))


def _priority_sentence(n: int, lang: str) -> str:
    t = T[lang]
    return t["priority_none"] if n == 0 else t["priority_one"] if n == 1 else t["priority_many"].format(n=n)


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    """The page for a query string (raises BadParameter on an unknown filter value)."""
    f = sc.parse_filters(args)
    t, s, o = T[lang], get_settings(), sc.overview()
    query = sc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        html.Div(texts.to_dash(texts.current("ecoles.lead", lang)), className="lead"),
        key_figures(lang),
        html.P(t["narrative"].format(city=s.city_name, ecoles=o["counts"]["ecole"], colleges=o["counts"]["college"],
                                     lycees=o["counts"]["lycee"], private=o["private"],
                                     priority_text=_priority_sentence(o["priority"], lang))),
        html.Aside([html.H2(t["missing"], className="h6"), *texts.to_dash(texts.current("ecoles.missing", lang))],
                   className="callout"),
        filters_block(f, lang),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(sc.STORY)],
    ], className="story")
