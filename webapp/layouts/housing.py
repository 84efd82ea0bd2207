"""The housing story at /logement: key figures, filters, "mon quartier" and the charts of the registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from webapp.charts import charts_of
from webapp.charts import housing as hc
from webapp.data import texts
from webapp.data.housing import BOTH, DATASETS, INDICATORS, TYPES, HousingFilter
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import of_city
from webapp.layouts.components import chart_block, key_figure, labelled_select, period_filter

SLUG = "logement"
TYPE_ID, FROM_ID, TO_ID = f"{SLUG}-type", f"{SLUG}-debut", f"{SLUG}-fin"
QUARTIER_ID, INDICATOR_ID = f"{SLUG}-quartier", f"{SLUG}-indicateur"
STATUS_ID, NEIGHBOURHOOD_ID = f"{SLUG}-status", f"{SLUG}-mon-quartier"

T = {
    "fr": {
        "title": "Le logement {of_city}, quartier par quartier",
        "description": "Prix des logements au m², ventes, parc de logements, vacance et revenus par quartier {of_city}, "
                       "comparés au {dep}.",
        "lead": "Combien coûte un appartement dans mon quartier, et les prix montent-ils ? Quels quartiers comptent "
                "le plus de logements vacants ou de logements sociaux ? Les ventes viennent des demandes de valeurs "
                "foncières (DVF) de la DGFiP, le parc de logements du recensement de l'INSEE.",
        "demo": "Données de démonstration : {titles}, au format officiel et calé{s} sur des chiffres réels, en "
                "attendant l'import des fichiers réels. Les autres données de cette page sont réelles.",
        "demo_one": "le jeu {title} est généré", "demo_many": "les jeux {titles} sont générés",
        "filters": "Choisir les logements et la période",
        "type": "Type de logement", "from": "De", "to": "à", "period": "Période",
        "quartier": "Quartier", "all_quartiers": "Toute la ville", "indicator": "Couleur de la carte",
        "types": {"tous": "Les deux", "appartement": "Appartements", "maison": "Maisons"},
        "key_flat": "prix médian au m² d'un appartement en {year}",
        "key_house": "prix médian au m² d'une maison en {year}",
        "key_sales": "ventes de logements en {year}",
        "key_vacancy": "de logements vacants ({year})",
        "mine": "Mon quartier",
        "mine_prompt": "Choisissez un quartier dans la liste ci-dessus, ou touchez-le sur la carte : ses chiffres "
                       "s'affichent ici en quelques phrases, comparés à ceux de toute la ville.",
        "missing": "Ce que les données ne disent pas",
        "missing_text": "Les ventes DVF ne couvrent pas l'Alsace, la Moselle et Mayotte ; elles ne disent rien des "
                        "loyers, ni des ventes de logements neufs sur plan (VEFA), que ce récit laisse de côté. Une "
                        "médiane de moins de 5 ventes n'est pas publiée : elle dirait plus du hasard que du quartier.",
        "status": "Graphiques mis à jour pour : {what}.",
    },
    "en": {
        "title": "Housing in {city}, neighbourhood by neighbourhood",
        "description": "Dwelling prices per m², sales, housing stock, vacancy and income by neighbourhood in {city}, "
                       "compared with {dep}.",
        "lead": "What does a flat cost in my neighbourhood, and are prices going up? Which neighbourhoods have the "
                "most vacant or social housing? Sales come from the DGFiP's land value requests (DVF), the housing "
                "stock from INSEE's census.",
        "demo": "Demo data: {titles}, in the official format and calibrated on real figures, until the real files "
                "are imported. The other data on this page is real.",
        "demo_one": "the dataset {title} is generated", "demo_many": "the datasets {titles} are generated",
        "filters": "Choose the dwellings and the period",
        "type": "Dwelling type", "from": "From", "to": "to", "period": "Period",
        "quartier": "Neighbourhood", "all_quartiers": "Whole town", "indicator": "Map colour",
        "types": {"tous": "Both", "appartement": "Flats", "maison": "Houses"},
        "key_flat": "median price of a flat per m² in {year}",
        "key_house": "median price of a house per m² in {year}",
        "key_sales": "dwelling sales in {year}",
        "key_vacancy": "vacant dwellings ({year})",
        "mine": "My neighbourhood",
        "mine_prompt": "Choose a neighbourhood in the list above, or tap it on the map: its figures show here in a few "
                       "sentences, compared with the whole town.",
        "missing": "What the data does not say",
        "missing_text": "DVF sales do not cover Alsace, Moselle and Mayotte; they say nothing of rents, nor of "
                        "off-plan sales of new dwellings (VEFA), which this story leaves aside. A median of fewer than "
                        "5 sales is not published: it would say more about chance than about the neighbourhood.",
        "status": "Charts updated for: {what}.",
    },
}


def _say(key: str, lang: str) -> str:
    s = get_settings()
    return T[lang][key].format(city=s.city_name, of_city=of_city(s.city_name), dep=s.city_department_name)


texts.register("logement.lead", {"fr": "Récit du logement : introduction", "en": "Housing story: introduction"},
               lambda lang: _say("lead", lang))
texts.register("logement.missing", {"fr": "Récit du logement : ce que les données ne disent pas",
                                    "en": "Housing story: what the data does not say"},
               lambda lang: _say("missing_text", lang))


def title(lang: str) -> str:
    return _say("title", lang)


def description(lang: str) -> str:
    return _say("description", lang)




def filters_block(f: HousingFilter, lang: str) -> html.Section:
    t = T[lang]
    years = [{"label": y, "value": y} for y in hc.allowed_years()]
    quartiers = [{"label": t["all_quartiers"], "value": hc.ALL}] + [
        {"label": name, "value": code} for code, name in hc.quartier_names().items()]
    return html.Section(
        [
            html.H2(t["filters"], className="h5"),
            html.Div([
                html.Fieldset([
                    html.Legend(t["type"], className="form-label fw-semibold fs-6"),
                    dbc.RadioItems(id=TYPE_ID, options=[{"label": t["types"][k], "value": k} for k in (BOTH, *TYPES)],
                                   value=f.dwelling_type, className="filter-options"),
                ], className="filter-group"),
                period_filter(t["period"], ((FROM_ID, t["from"], str(f.year_from or "")),
                                            (TO_ID, t["to"], str(f.year_to or ""))), years),
                labelled_select(QUARTIER_ID, t["quartier"], quartiers, f.iris or hc.ALL),
                html.Fieldset([
                    html.Legend(t["indicator"], className="form-label fw-semibold fs-6"),
                    dbc.RadioItems(id=INDICATOR_ID, options=[
                        {"label": hc.INDICATOR_LABELS[lang][k], "value": k} for k in INDICATORS],
                        value=f.indicator, className="filter-options"),
                ], className="filter-group"),
            ], className="filters-row"),
            html.P(id=STATUS_ID, className="visually-hidden", role="status"),
        ],
        className="filters", **{"aria-label": t["filters"]},
    )


def key_figures(lang: str) -> html.Div:
    t, o = T[lang], hc.overview()
    figures = []
    if "appartement" in o["medians"]:
        figures.append(key_figure(f"{fmt_number(o['medians']['appartement'], lang)} €", t["key_flat"].format(year=o["year"])))
    if "maison" in o["medians"]:
        figures.append(key_figure(f"{fmt_number(o['medians']['maison'], lang)} €", t["key_house"].format(year=o["year"])))
    if o["sales"] is not None:
        figures.append(key_figure(fmt_number(o["sales"], lang), t["key_sales"].format(year=o["year"])))
    if o["vacancy"] is not None:
        figures.append(key_figure(fmt_percent(o["vacancy"], lang), t["key_vacancy"].format(year=o["census_year"])))
    return html.Div(figures, className="key-figures")


def neighbourhood_children(f: HousingFilter, lang: str) -> list[Any]:
    """The "mon quartier" box: the chosen quartier's sentences, or how to choose one."""
    t = T[lang]
    sentences = hc.neighbourhood(f.only("year_from", "year_to", "iris"), lang)
    if not sentences:
        return [html.P(t["mine_prompt"])]
    name = hc.quartier_names()[f.iris]
    return [html.H3(name, className="h6"), html.Ul([html.Li(s) for s in sentences])]


def status_text(f: HousingFilter, lang: str) -> str:
    """What the charts now show, read out by screen readers after a filter change."""
    t = T[lang]
    parts = [hc.TYPE_LABELS[lang][f.dwelling_type], f"{f.year_from}–{f.year_to}",
             hc.quartier_names().get(f.iris, t["all_quartiers"]), hc.INDICATOR_LABELS[lang][f.indicator]]
    return t["status"].format(what=(" ; " if lang == "fr" else "; ").join(parts))


def demo_notice(lang: str) -> html.P | None:
    """Which of the story's datasets are demo data, if any (it changes when an editor imports a real file)."""
    meta = datasets_meta().set_index("slug")
    demo = [d for d in DATASETS if d in meta.index and bool(meta.at[d, "is_demo"])]
    if not demo:
        return None
    quote = ("« {} »" if lang == "fr" else "“{}”").format
    titles = [quote(meta.at[d, "title_fr" if lang == "fr" else "title_en"]) for d in demo]
    t = T[lang]
    if len(titles) == 1:
        what = t["demo_one"].format(title=titles[0])
    else:
        what = t["demo_many"].format(titles=", ".join(titles[:-1]) + (" et " if lang == "fr" else " and ") + titles[-1])
    return html.P(html.Strong(t["demo"].format(titles=what, s="" if len(titles) == 1 else "s")),
                  className="callout callout-demo")


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    """The page for a query string (raises BadParameter on an unknown filter value)."""
    f = hc.parse_filters(args)
    t = T[lang]
    query = hc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        html.Div(texts.to_dash(texts.current("logement.lead", lang)), className="lead"),
        demo_notice(lang),
        key_figures(lang),
        html.Aside([html.H2(t["missing"], className="h6"), *texts.to_dash(texts.current("logement.missing", lang))],
                   className="callout"),
        filters_block(f, lang),
        html.Section([html.H2(t["mine"], className="h4"),
                      html.Div(neighbourhood_children(f, lang), id=NEIGHBOURHOOD_ID, **{"aria-live": "polite"})],
                     className="neighbourhood callout", **{"aria-label": t["mine"]}),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(hc.STORY)],
    ], className="story")
