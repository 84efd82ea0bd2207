"""The footfall story at /frequentation: key figures, filters and the charts of the registry."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.charts import charts_of
from webapp.charts import footfall as fc
from webapp.data import texts
from webapp.data.footfall import ALL, DATASETS, FootfallFilter
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number
from webapp.i18n import N_, _, _l, of_city
from webapp.layouts import markdown
from webapp.layouts.components import (
    chart_block,
    demo_banner,
    filters_panel,
    key_figure,
    labelled_select,
    marked_demo,
    period_filter,
    radio_group,
)

SLUG = "frequentation"
POINT_ID, FROM_ID, TO_ID = f"{SLUG}-lieu", f"{SLUG}-debut", f"{SLUG}-fin"
ZONE_ID, CATEGORY_ID, EVENT_ID = f"{SLUG}-zone", f"{SLUG}-categorie", f"{SLUG}-choix-evenement"  # not a chart slug
STATUS_ID = f"{SLUG}-status"

# The page's texts that name the town (formatted with `city` and `of_city`).
TEXTS = {
    "title": N_("La fréquentation du centre-ville {of_city}"),
    "description": N_("Passages de piétons dans le centre-ville {of_city} jour par jour et heure par heure, effet des "
                      "événements, résidents, excursionnistes et touristes et leurs origines."),
    "lead": N_("Quand les rues du centre sont-elles animées ? Le marché de Noël, les soldes ou des travaux ont-ils changé "
               "la fréquentation ? D'où viennent les visiteurs ? Les passages viennent des compteurs de piétons de la "
               "ville, les visiteurs des données de téléphonie mobile Flux Vision d'Orange Business."),
    "demo": N_("Données de démonstration : les passages et les visiteurs affichés ici sont générés au format officiel, "
               "calés sur les chiffres publiés pour {city}, en attendant l'import des fichiers réels des compteurs et "
               "de Flux Vision."),
    "missing_text": N_("Un compteur compte des passages, pas des personnes : la même personne peut passer plusieurs "
                       "fois. Les chiffres de téléphonie mobile sont des estimations d'Orange Business, qui masque les "
                       "volumes de moins de 20 personnes. Une journée où un compteur a manqué une heure n'est pas "
                       "comptée."),
}


def _say(key: str, lang: str) -> str:
    city = get_settings().city_name
    return _(TEXTS[key], lang, city=city, of_city=of_city(city))


texts.register("frequentation.lead", _l("Récit de la fréquentation : introduction"), lambda lang: _say("lead", lang))
texts.register("frequentation.missing", _l("Récit de la fréquentation : ce que les données ne disent pas"),
               lambda lang: _say("missing_text", lang))


LINK = N_("la fréquentation du centre-ville")  # the story in the list of the error pages ("Vous pouvez aller vers : …")


def card(lang: str) -> tuple[str, str, str]:
    """The story's card on the home page: heading, what it tells, the link's words."""
    return (_("Fréquentation du centre-ville", lang),
            _("Quand les rues du centre sont animées, l'effet du marché de Noël ou des soldes, et d'où viennent "
              "les visiteurs.", lang),
            _("Explorer la fréquentation", lang))


def title(lang: str) -> str:
    return _say("title", lang)


def description(lang: str) -> str:
    return _say("description", lang)


def filters_block(f: FootfallFilter, lang: str) -> html.Section:
    month_options = [{"label": fc.month_text(m, lang), "value": m} for m in fc.months()]
    events = [{"label": names[1][lang], "value": key} for key, names in fc.events().items()]
    if f.event and ":" in f.event:  # dates given in the URL (du, au): shown as such
        events.insert(0, {"label": _("Dates choisies dans l'adresse", lang), "value": ""})
    event_value = f.event if f.event and ":" not in f.event else ""
    point_options = [{"label": _("Tous les points", lang), "value": ALL}] + [
        {"label": name, "value": site} for site, name in fc.points().items()]
    zone_options = [{"label": _("Toutes les zones", lang), "value": ALL}] + [{"label": z, "value": z} for z in fc.zones()]
    category_options = [{"label": _("Tous", lang), "value": ALL}] + [
        {"label": fc.category_label(v, lang), "value": k} for k, v in fc.CATEGORY_PARAM.items()]
    heading = _("Choisir le lieu et la période", lang)
    return filters_panel(heading, [
        labelled_select(POINT_ID, _("Point de comptage", lang), point_options, f.point or ALL),
        period_filter(_("Période", lang), ((FROM_ID, _("De", lang), f.first), (TO_ID, _("à", lang), f.last)),
                      month_options),
        labelled_select(EVENT_ID, _("Événement", lang), events, event_value),
        labelled_select(ZONE_ID, _("Zone (visiteurs)", lang), zone_options, f.zone or ALL),
        radio_group(CATEGORY_ID, _("Visiteurs", lang), category_options, fc.filter_query(f).get(fc.PARAM_CATEGORY, ALL)),
    ], STATUS_ID)


def key_figures(lang: str) -> html.Div:
    o = fc.overview()
    figures = []
    if o["passages"] is not None:
        month = fc.month_text(o["month"], lang)
        figures.append(key_figure(fmt_number(o["passages"], lang), _("passages comptés en {month}", lang, month=month)))
        if o["change"] is not None:
            figures.append(key_figure(fc.signed(o["change"], lang), _("sur un an ({month})", lang, month=month)))
    figures.append(key_figure(fmt_number(o["points"], lang), _("points de comptage", lang)))
    return html.Div(marked_demo(figures, DATASETS, lang), className="key-figures")


def status_text(f: FootfallFilter, lang: str) -> str:
    point = fc.points().get(f.point, _("Tous les points", lang))
    zone = f.zone or _("Toutes les zones", lang)
    return _("Graphiques mis à jour pour : {point} ; {first} – {last} ; {zone}.", lang, point=point,
             first=fc.month_text(f.first, lang), last=fc.month_text(f.last, lang), zone=zone)


def demo_notice(lang: str) -> html.P | None:
    meta = datasets_meta().set_index("slug")
    if not any(d in meta.index and bool(meta.at[d, "is_demo"]) for d in DATASETS):
        return None
    return demo_banner(_say("demo", lang))


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    f = fc.parse_filters(args)
    query = fc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        demo_notice(lang),
        key_figures(lang),
        html.Div(markdown.to_dash(texts.current("frequentation.lead", lang)), className="lead"),
        html.Aside([html.H2(_("Ce que les données ne disent pas", lang), className="h6"),
                    *markdown.to_dash(texts.current("frequentation.missing", lang))], className="callout"),
        filters_block(f, lang),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(fc.STORY)],
    ], className="story")

