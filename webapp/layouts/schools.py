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
from webapp.figures.schools import level_plural
from webapp.formatting import fmt_number, fmt_percent, fmt_school_year
from webapp.i18n import N_, _, _l, ngettext, of_city, pgettext
from webapp.layouts import markdown
from webapp.layouts.components import chart_block, key_figure

SLUG = "ecoles"
LEVEL_ID, SECTOR_ID, QUARTIER_ID = f"{SLUG}-niveau", f"{SLUG}-secteur", f"{SLUG}-quartier"
STATUS_ID = f"{SLUG}-status"

TITLE = N_("Les écoles, collèges et lycées {of_city}")
DESCRIPTION = N_("Carte des établissements scolaires {of_city}, indice de position sociale, effectifs et réussite au "
                 "brevet, sur les données ouvertes du ministère de l'Éducation nationale.")
LEAD = N_("Où sont les établissements scolaires {of_city}, quel est le milieu social de leurs élèves, combien d'élèves "
          "accueillent-ils et comment réussissent-ils au brevet ? Tout vient des données ouvertes du ministère de "
          "l'Éducation nationale.")
MISSING_TEXT = N_("Le nombre d'élèves des écoles maternelles et élémentaires {of_city} et leurs adresses géolocalisées "
                  "ne figurent pas dans les fichiers ouverts utilisés : les écoles apparaissent donc dans l'indice de "
                  "position sociale, mais ni sur la carte ni dans les effectifs. Ce site ne les invente pas.")


def _say(message: str, lang: str) -> str:
    """A text of the page with the town's name filled in."""
    city = get_settings().city_name
    return _(message, lang, city=city, of_city=of_city(city))


texts.register("ecoles.lead", _l("Récit des écoles : introduction"), lambda lang: _say(LEAD, lang))
texts.register("ecoles.missing", _l("Récit des écoles : ce que les données ne disent pas"),
               lambda lang: _say(MISSING_TEXT, lang))


LINK = N_("les écoles")  # the story in the list of the error pages ("Vous pouvez aller vers : …")


def card(lang: str) -> tuple[str, str, str]:
    """The story's card on the home page: heading, what it tells, the link's words."""
    return (_("Écoles, collèges et lycées", lang),
            _("Où sont les établissements, quel est le milieu social de leurs élèves, combien d'élèves ils "
              "accueillent et comment ils réussissent au brevet.", lang),
            _("Explorer les écoles", lang))


def title(lang: str) -> str:
    return _say(TITLE, lang)


def description(lang: str) -> str:
    return _say(DESCRIPTION, lang)


def level_name(level: str, lang: str) -> str:
    """A level as a filter choice: "Écoles", "Collèges", "Lycées"."""
    names = {
        "ecole": pgettext("niveau scolaire", "Écoles", lang),
        "college": pgettext("niveau scolaire", "Collèges", lang),
        "lycee": pgettext("niveau scolaire", "Lycées", lang),
    }
    return names[level]


def sector_name(sector: str | None, lang: str) -> str:
    """A sector as a filter choice; None is both."""
    names = {None: _("Public et privé", lang), "public": _("Public", lang), "prive": _("Privé sous contrat", lang)}
    return names[sector]


def filters_block(f: Any, lang: str) -> html.Section:
    heading = _("Filtrer les établissements", lang)
    quartiers = frame_from_cache(sc.iris_choices())
    return html.Section(
        [
            html.H2(heading, className="h5"),
            html.Div([
                html.Fieldset([
                    html.Legend(_("Niveau", lang), className="form-label fw-semibold fs-6"),
                    dbc.Checklist(id=LEVEL_ID, options=[{"label": level_name(lv, lang), "value": lv} for lv in LEVELS],
                                  value=list(f.levels), className="filter-options"),
                ], className="filter-group"),
                html.Fieldset([
                    html.Legend(_("Secteur", lang), className="form-label fw-semibold fs-6"),
                    dbc.RadioItems(id=SECTOR_ID, options=[
                        {"label": sector_name(None, lang), "value": sc.ALL},
                        {"label": sector_name("public", lang), "value": "public"},
                        {"label": sector_name("prive", lang), "value": "prive"},
                    ], value=f.sector or sc.ALL, className="filter-options"),
                ], className="filter-group"),
                html.Fieldset([
                    html.Legend(_("Quartier", lang), className="form-label fw-semibold fs-6"),
                    dbc.RadioItems(id=QUARTIER_ID, options=[
                        {"label": _("Toute la ville", lang), "value": sc.ALL},
                        *({"label": name, "value": code} for code, name in zip(quartiers["code"], quartiers["name"])),
                    ], value=f.iris or sc.ALL, className="filter-options filter-quartiers"),
                ], className="filter-group"),
            ], className="filters-row"),
            html.P(id=STATUS_ID, className="visually-hidden", role="status"),
        ],
        className="filters", **{"aria-label": heading},
    )


def key_figures(lang: str) -> html.Div:
    s, o = get_settings(), sc.overview()
    figures = [key_figure(fmt_number(o["counts"][lv], lang),
                          _("{level} avec un IPS publié", lang, level=level_plural(lv, lang))) for lv in LEVELS]
    if o["college_pupils"]:
        figures.append(key_figure(fmt_number(o["college_pupils"], lang),
                                  _("élèves dans les collèges ({year})", lang, year=fmt_school_year(o["college_year"]))))
    if o["dnb_rate"] is not None:
        figures.append(key_figure(fmt_percent(o["dnb_rate"], lang), _(
            "de réussite au brevet en {session} (série générale), contre {ref} dans le {dep}", lang,
            session=o["dnb_session"], ref=fmt_percent(o["dnb_reference"], lang), dep=s.city_department_name)))
    return html.Div(figures, className="key-figures")


def status_text(f: Any, lang: str) -> str:
    """What the charts now show, read out by screen readers after a filter change."""
    quartiers = frame_from_cache(sc.iris_choices())
    names = dict(zip(quartiers["code"], quartiers["name"]))
    return _("Graphiques mis à jour pour : {levels} ; {sector} ; {quartier}.", lang,
             levels=", ".join(level_name(lv, lang) for lv in f.levels), sector=sector_name(f.sector, lang),
             quartier=names.get(f.iris, _("Toute la ville", lang)))


def _priority_sentence(n: int, lang: str) -> str:
    if n == 0:
        return _("Aucun collège ne relève de l'éducation prioritaire.", lang)
    return ngettext("Un collège relève de l'éducation prioritaire (REP).",
                    "{n} collèges relèvent de l'éducation prioritaire (REP ou REP+).", n, lang)


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    """The page for a query string (raises a PublicError on an unknown filter value)."""
    f = sc.parse_filters(args)
    s, o = get_settings(), sc.overview()
    query = sc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        html.Div(markdown.to_dash(texts.current("ecoles.lead", lang)), className="lead"),
        key_figures(lang),
        html.P(_("{city} compte {ecoles} écoles élémentaires ou primaires dont l'IPS est publié, {colleges} collèges et "
                 "{lycees} lycées ; {private} de ces établissements sont privés sous contrat. {priority_text}", lang,
                 city=s.city_name, ecoles=o["counts"]["ecole"], colleges=o["counts"]["college"],
                 lycees=o["counts"]["lycee"], private=o["private"],
                 priority_text=_priority_sentence(o["priority"], lang))),
        html.Aside([html.H2(_("Ce que les données ne disent pas", lang), className="h6"),
                    *markdown.to_dash(texts.current("ecoles.missing", lang))], className="callout"),
        filters_block(f, lang),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(sc.STORY)],
    ], className="story")
