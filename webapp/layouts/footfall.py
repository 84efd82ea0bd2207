"""The footfall story at /frequentation: key figures, filters and the charts of the registry."""

from __future__ import annotations

from collections.abc import Mapping

import dash_bootstrap_components as dbc
from dash import html

from webapp.charts import charts_of
from webapp.charts import footfall as fc
from webapp.data import texts
from webapp.data.footfall import ALL, DATASETS, FootfallFilter
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number
from webapp.i18n import of_city
from webapp.layouts.components import chart_block, key_figure, labelled_select, period_filter

SLUG = "frequentation"
POINT_ID, FROM_ID, TO_ID = f"{SLUG}-lieu", f"{SLUG}-debut", f"{SLUG}-fin"
ZONE_ID, CATEGORY_ID, EVENT_ID = f"{SLUG}-zone", f"{SLUG}-categorie", f"{SLUG}-choix-evenement"  # not a chart slug
STATUS_ID = f"{SLUG}-status"

T = {
    "fr": {
        "title": "La fréquentation du centre-ville {of_city}",
        "description": "Passages de piétons dans le centre-ville {of_city} jour par jour et heure par heure, effet des "
                       "événements, résidents, excursionnistes et touristes et leurs origines.",
        "lead": "Quand les rues du centre sont-elles animées ? Le marché de Noël, les soldes ou des travaux ont-ils changé "
                "la fréquentation ? D'où viennent les visiteurs ? Les passages viennent des compteurs de piétons de la "
                "ville, les visiteurs des données de téléphonie mobile Flux Vision d'Orange Business.",
        "demo": "Données de démonstration : les passages et les visiteurs affichés ici sont générés au format officiel, "
                "calés sur les chiffres publiés pour {city}, en attendant l'import des fichiers réels des compteurs et "
                "de Flux Vision.",
        "filters": "Choisir le lieu et la période",
        "point": "Point de comptage", "all_points": "Tous les points", "from": "De", "to": "à", "period": "Période",
        "zone": "Zone (visiteurs)", "all_zones": "Toutes les zones", "category": "Visiteurs", "all_visitors": "Tous",
        "event": "Événement", "chosen_dates": "Dates choisies dans l'adresse",
        "key_month": "passages comptés en {month}", "key_change": "sur un an ({month})",
        "key_points": "points de comptage",
        "missing": "Ce que les données ne disent pas",
        "missing_text": "Un compteur compte des passages, pas des personnes : la même personne peut passer plusieurs fois. "
                        "Les chiffres de téléphonie mobile sont des estimations d'Orange Business, qui masque les volumes "
                        "de moins de 20 personnes. Une journée où un compteur a manqué une heure n'est pas comptée.",
        "status": "Graphiques mis à jour pour : {what}.",
    },
    "en": {
        "title": "Footfall in {city}'s city centre",
        "description": "Pedestrian passages in {city}'s centre day by day and hour by hour, the effect of events, "
                       "residents, day visitors and tourists and where they come from.",
        "lead": "When are the centre's streets busy? Did the Christmas market, the sales or street works change footfall? "
                "Where do visitors come from? Passages come from the city's pedestrian counters, visitors from Orange "
                "Business's Flux Vision mobile data.",
        "demo": "Demo data: the passages and visitors shown here are generated in the official formats, calibrated on the "
                "figures published for {city}, until the real counter and Flux Vision files are imported.",
        "filters": "Choose the place and the period",
        "point": "Counting point", "all_points": "All points", "from": "From", "to": "to", "period": "Period",
        "zone": "Zone (visitors)", "all_zones": "All zones", "category": "Visitors", "all_visitors": "All",
        "event": "Event", "chosen_dates": "Dates chosen in the address",
        "key_month": "passages counted in {month}", "key_change": "year on year ({month})",
        "key_points": "counting points",
        "missing": "What the data does not say",
        "missing_text": "A counter counts passages, not people: one person may pass several times. Mobile figures are "
                        "Orange Business's estimates, which hide volumes under 20 people. A day when a counter missed an "
                        "hour is not counted.",
        "status": "Charts updated for: {what}.",
    },
}


def _say(key: str, lang: str) -> str:
    city = get_settings().city_name
    return T[lang][key].format(city=city, of_city=of_city(city))


texts.register("frequentation.lead", {"fr": "Récit de la fréquentation : introduction",
                                      "en": "Footfall story: introduction"}, lambda lang: _say("lead", lang))
texts.register("frequentation.missing", {"fr": "Récit de la fréquentation : ce que les données ne disent pas",
                                         "en": "Footfall story: what the data does not say"},
               lambda lang: _say("missing_text", lang))


def title(lang: str) -> str:
    return _say("title", lang)


def description(lang: str) -> str:
    return _say("description", lang)




def filters_block(f: FootfallFilter, lang: str) -> html.Section:
    t = T[lang]
    month_options = [{"label": fc.month_text(m, lang), "value": m} for m in fc.months()]
    events = [{"label": names[0] if lang == "fr" else names[1], "value": key} for key, names in fc.events().items()]
    if f.event and ":" in f.event:  # dates given in the URL (du, au): shown as such
        events.insert(0, {"label": t["chosen_dates"], "value": ""})
    event_value = f.event if f.event and ":" not in f.event else ""
    return html.Section(
        [
            html.H2(t["filters"], className="h5"),
            html.Div([
                labelled_select(POINT_ID, t["point"], [{"label": t["all_points"], "value": ALL}] + [
                    {"label": name, "value": site} for site, name in fc.points().items()], f.point or ALL),
                period_filter(t["period"], ((FROM_ID, t["from"], f.first), (TO_ID, t["to"], f.last)), month_options),
                labelled_select(EVENT_ID, t["event"], events, event_value),
                labelled_select(ZONE_ID, t["zone"], [{"label": t["all_zones"], "value": ALL}] + [
                    {"label": z, "value": z} for z in fc.zones()], f.zone or ALL),
                html.Fieldset([
                    html.Legend(t["category"], className="form-label fw-semibold fs-6"),
                    dbc.RadioItems(id=CATEGORY_ID, options=[{"label": t["all_visitors"], "value": ALL}] + [
                        {"label": fc.CATEGORY_LABELS[lang][v], "value": k} for k, v in fc.CATEGORY_PARAM.items()],
                        value=fc.filter_query(f).get(fc.PARAM_CATEGORY, ALL), className="filter-options"),
                ], className="filter-group"),
            ], className="filters-row"),
            html.P(id=STATUS_ID, className="visually-hidden", role="status"),
        ],
        className="filters", **{"aria-label": t["filters"]},
    )


def key_figures(lang: str) -> html.Div:
    t, o = T[lang], fc.overview()
    figures = []
    if o["passages"] is not None:
        month = fc.month_text(o["month"], lang)
        figures.append(key_figure(fmt_number(o["passages"], lang), t["key_month"].format(month=month)))
        if o["change"] is not None:
            figures.append(key_figure(fc.signed(o["change"], lang), t["key_change"].format(month=month)))
    figures.append(key_figure(fmt_number(o["points"], lang), t["key_points"]))
    return html.Div(figures, className="key-figures")


def status_text(f: FootfallFilter, lang: str) -> str:
    t = T[lang]
    parts = [fc.points().get(f.point, t["all_points"]), f"{fc.month_text(f.first, lang)} – {fc.month_text(f.last, lang)}",
             f.zone or t["all_zones"]]
    return t["status"].format(what=(" ; " if lang == "fr" else "; ").join(parts))


def demo_notice(lang: str) -> html.P | None:
    meta = datasets_meta().set_index("slug")
    if not any(d in meta.index and bool(meta.at[d, "is_demo"]) for d in DATASETS):
        return None
    return html.P(html.Strong(_say("demo", lang)), className="callout callout-demo")


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    f = fc.parse_filters(args)
    t = T[lang]
    query = fc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        html.Div(texts.to_dash(texts.current("frequentation.lead", lang)), className="lead"),
        demo_notice(lang),
        key_figures(lang),
        html.Aside([html.H2(t["missing"], className="h6"), *texts.to_dash(texts.current("frequentation.missing", lang))],
                   className="callout"),
        filters_block(f, lang),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(fc.STORY)],
    ], className="story")

