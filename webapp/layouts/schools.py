"""The schools story at /ecoles: key figures, narrative, filters and the charts of the registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from webapp.charts import charts_of
from webapp.charts import schools as sc
from webapp.data import texts
from webapp.data import schools as q
from webapp.data.schools import LEVELS, SchoolFilter
from webapp.data.store import frame_from_cache, get_db, get_settings, versioned
from webapp.formatting import fmt_number, fmt_percent, fmt_school_year
from webapp.i18n import N_, _, _l, ngettext, of_city, pgettext
from webapp.layouts import markdown
from webapp.layouts.components import (
    chart_block,
    filters_panel,
    key_figure,
    labelled_select,
    radio_group,
    takeaway,
)

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
    quartiers = frame_from_cache(sc.iris_choices())
    sectors = [{"label": sector_name(key, lang), "value": value}
               for key, value in ((None, sc.ALL), ("public", "public"), ("prive", "prive"))]
    return filters_panel(_("Filtrer les établissements", lang), [
        html.Fieldset([
            html.Legend(_("Niveau", lang), className="form-label fw-semibold fs-6"),
            dbc.Checklist(id=LEVEL_ID, options=[{"label": level_name(lv, lang), "value": lv} for lv in LEVELS],
                          value=list(f.levels), className="filter-options"),
        ], className="filter-group"),
        radio_group(SECTOR_ID, _("Secteur", lang), sectors, f.sector or sc.ALL),
        labelled_select(QUARTIER_ID, _("Quartier", lang), [
            {"label": _("Toute la ville", lang), "value": sc.ALL},
            *({"label": name, "value": code} for code, name in zip(quartiers["code"], quartiers["name"])),
        ], f.iris or sc.ALL),
    ], STATUS_ID)


@versioned(*q.DATASETS_DIRECTORY, "ecoles-ips", "colleges-ips", "lycees-ips")
def ips_comparison() -> dict[str, dict[str, float]]:
    """Per level: the latest school year, the mean IPS of the town's schools then, and the département's.

    Both are simple means of schools, as the département's reference is (see the IPS chart's note).
    """
    s = get_settings()
    schools = q.query_schools(get_db(), sc.school_build(), s.city_insee, SchoolFilter()).dropna(subset=["ips"])
    reference = q.query_ips_reference(get_db(), sc.school_build(), s.city_department)
    out = {}
    for level, group in schools.groupby("level"):
        year = int(group["ips_year"].max())
        ref = reference[(reference["level"] == level) & (reference["year"] == year)]
        if not ref.empty:
            out[str(level)] = {"year": year, "town": float(group.loc[group["ips_year"] == year, "ips"].mean()),
                               "department": float(ref["ips"].iloc[0])}
    return out


IPS_FIGURE = {
    "ecole": N_("IPS moyen des écoles en {year}, contre {ref} dans le {dep}"),
    "college": N_("IPS moyen des collèges en {year}, contre {ref} dans le {dep}"),
    "lycee": N_("IPS moyen des lycées en {year}, contre {ref} dans le {dep}"),
}
CLOSE_IPS, CLOSE_RATE = 1.0, 0.01  # differences under these read as "close to the département"


def key_figures(lang: str) -> html.Div:
    """Each figure set against the département's: the mean IPS of each level and the brevet's success rate."""
    s, o = get_settings(), sc.overview()
    figures = [key_figure(fmt_number(c["town"], lang, 1), _(IPS_FIGURE[lv], lang, year=fmt_school_year(c["year"]),
                                                             ref=fmt_number(c["department"], lang, 1),
                                                             dep=s.city_department_name))
               for lv, c in sorted(ips_comparison().items(), key=lambda item: LEVELS.index(item[0]))]
    if o["dnb_rate"] is not None:
        figures.append(key_figure(fmt_percent(o["dnb_rate"], lang), _(
            "de réussite au brevet en {session} (série générale), contre {ref} dans le {dep}", lang,
            session=o["dnb_session"], ref=fmt_percent(o["dnb_reference"], lang), dep=s.city_department_name)))
    return html.Div(figures, className="key-figures")


def _compare(town: float, department: float, close: float) -> int:
    """1 above the département, -1 below, 0 within `close` of it."""
    return 0 if abs(town - department) < close else (1 if town > department else -1)


IPS_TAKEAWAY = {
    1: N_("En moyenne, les collèges {of_city} accueillent des élèves d'un milieu social plus favorisé que ceux du "
          "{dep} (IPS de {town} contre {ref})."),
    0: N_("En moyenne, les collèges {of_city} accueillent des élèves d'un milieu social proche de celui des collèges "
          "du {dep} (IPS de {town} contre {ref})."),
    -1: N_("En moyenne, les collèges {of_city} accueillent des élèves d'un milieu social moins favorisé que ceux du "
           "{dep} (IPS de {town} contre {ref})."),
}
DNB_TAKEAWAY = {
    1: N_("Ils réussissent mieux au brevet : {rate} de reçus en {session}, contre {ref}."),
    0: N_("Ils réussissent au brevet comme le département : {rate} de reçus en {session}, contre {ref}."),
    -1: N_("Ils réussissent moins bien au brevet : {rate} de reçus en {session}, contre {ref}."),
}


def takeaway_text(lang: str) -> str | None:
    """The page's finding: the town's collèges against the département's, on social background and the brevet."""
    s, o, ips = get_settings(), sc.overview(), ips_comparison().get("college")
    if ips is None:
        return None
    words = {"of_city": of_city(s.city_name), "city": s.city_name, "dep": s.city_department_name}
    out = _(IPS_TAKEAWAY[_compare(ips["town"], ips["department"], CLOSE_IPS)], lang, **words,
            town=fmt_number(ips["town"], lang, 1), ref=fmt_number(ips["department"], lang, 1))
    if o["dnb_rate"] is not None and o["dnb_reference"] is not None:
        out += " " + _(DNB_TAKEAWAY[_compare(o["dnb_rate"], o["dnb_reference"], CLOSE_RATE)], lang,
                       rate=fmt_percent(o["dnb_rate"], lang), session=o["dnb_session"],
                       ref=fmt_percent(o["dnb_reference"], lang))
    return out


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
        takeaway(finding) if (finding := takeaway_text(lang)) else None,
        key_figures(lang),
        html.Div(markdown.to_dash(texts.current("ecoles.lead", lang)), className="lead"),
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
