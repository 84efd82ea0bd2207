"""The commerce observatory at /commerces: key figures, filters and the charts of the registry."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.charts import charts_of
from webapp.charts import commerce as cc
from webapp.data import texts
from webapp.data.commerce import PERIMETERS, CommerceFilter
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import of_city
from webapp.layouts.components import chart_block, key_figure, labelled_select

SLUG = "commerces"
YEAR_ID, PERIMETER_ID, STATUS_ID = f"{SLUG}-annee", f"{SLUG}-perimetre", f"{SLUG}-status"

T = {
    "fr": {
        "title": "Les commerces du centre-ville {of_city}",
        "description": "Vacance commerciale, ouvertures et fermetures, activités des commerces et fréquentation des rues "
                       "{of_city}, année après année.",
        "lead": "La vacance des boutiques recule-t-elle ? Combien de commerces ouvrent et ferment chaque année, et "
                "lesquels ? Les rues les plus passantes ont-elles moins de vitrines vides ? L'observatoire suit chaque "
                "cellule commerciale de la ville, occupée ou vacante, d'après l'inventaire du service du commerce.",
        "demo": "Données de démonstration : l'inventaire des commerces et l'extrait Sirene affichés ici sont générés, "
                "calés sur les chiffres publiés pour {city} ; les noms et les adresses sont fictifs, en attendant "
                "l'import de l'inventaire réel de la ville.",
        "filters": "Choisir l'année et le périmètre",
        "year": "Année (au 31 décembre)", "perimeter": "Périmètre",
        "filters_hint": "L'année vaut pour les activités, la carte et la fréquentation ; le périmètre pour les ouvertures "
                        "et fermetures, les activités et la carte. La vacance est montrée pour les trois périmètres.",
        "key_rate": "de cellules vacantes dans l'hypercentre fin {last}", "key_rate_town": "de cellules vacantes fin {last}",
        "key_before": "fin {first}", "key_units": "cellules commerciales fin {last}",
        "key_independent": "de commerces indépendants fin {last}",
        "missing": "Ce que les données ne disent pas",
        "missing_text": "Une cellule vacante est un local commercial sans activité au 31 décembre, qu'il soit à louer, "
                        "en travaux ou en attente. L'inventaire dit quand un commerce ouvre ou ferme, pas pourquoi. Le "
                        "répertoire Sirene enregistre des établissements, pas des vitrines : l'adresse d'un entrepreneur "
                        "individuel peut être son domicile, et une fermeture est souvent déclarée des mois plus tard.",
        "status": "Graphiques mis à jour pour : {what}.",
    },
    "en": {
        "title": "Shops in {city}'s city centre",
        "description": "Shop vacancy, openings and closures, what the shops sell and street footfall in {city}, "
                       "year after year.",
        "lead": "Is shop vacancy falling? How many shops open and close each year, and which? Do the busiest streets have "
                "fewer empty windows? The observatory follows each commercial unit of the town, occupied or vacant, from "
                "the city's commerce department's inventory.",
        "demo": "Demo data: the shop inventory and the Sirene extract shown here are generated, calibrated on the figures "
                "published for {city}; names and addresses are fictitious, until the city's real inventory is imported.",
        "filters": "Choose the year and the perimeter",
        "year": "Year (on 31 December)", "perimeter": "Perimeter",
        "filters_hint": "The year applies to the activities, the map and footfall; the perimeter to openings and "
                        "closures, the activities and the map. Vacancy is shown for the three perimeters.",
        "key_rate": "of units vacant in the hypercentre at the end of {last}", "key_rate_town": "of units vacant at the end of {last}",
        "key_before": "at the end of {first}", "key_units": "commercial units at the end of {last}",
        "key_independent": "independent businesses at the end of {last}",
        "missing": "What the data does not say",
        "missing_text": "A vacant unit is commercial premises without a business on 31 December, whether to let, under "
                        "works or waiting. The inventory says when a shop opens or closes, not why. The Sirene directory "
                        "records establishments, not shop windows: a sole trader's address may be their home, and a "
                        "closure is often declared months later.",
        "status": "Charts updated for: {what}.",
    },
}


def _say(key: str, lang: str) -> str:
    city = get_settings().city_name
    return T[lang][key].format(city=city, of_city=of_city(city))


texts.register("commerces.lead", {"fr": "Observatoire du commerce : introduction",
                                  "en": "Commerce observatory: introduction"}, lambda lang: _say("lead", lang))
texts.register("commerces.missing", {"fr": "Observatoire du commerce : ce que les données ne disent pas",
                                     "en": "Commerce observatory: what the data does not say"},
               lambda lang: _say("missing_text", lang))


def title(lang: str) -> str:
    return _say("title", lang)


def description(lang: str) -> str:
    return _say("description", lang)


def filters_block(f: CommerceFilter, lang: str) -> html.Section:
    t = T[lang]
    return html.Section(
        [
            html.H2(t["filters"], className="h5"),
            html.P(t["filters_hint"], className="small mb-2"),
            html.Div([
                labelled_select(YEAR_ID, t["year"], [{"label": str(y), "value": str(y)} for y in cc.years()], str(f.year)),
                labelled_select(PERIMETER_ID, t["perimeter"], [
                    {"label": cc.upper_first(cc.PERIMETER_LABELS[lang][p]), "value": p} for p in PERIMETERS], f.perimeter),
            ], className="filters-row"),
            html.P(id=STATUS_ID, className="visually-hidden", role="status"),
        ],
        className="filters", **{"aria-label": t["filters"]},
    )


def key_figures(lang: str) -> html.Div:
    t, o = T[lang], cc.overview(cc.hypercentre())
    if o["last"] is None:
        return html.Div(className="key-figures")
    rate_key = "key_rate" if o["hyper_found"] else "key_rate_town"
    figures = [
        key_figure(fmt_percent(o["rate_last"], lang), t[rate_key].format(last=o["last"])),
        key_figure(fmt_percent(o["rate_first"], lang), t["key_before"].format(first=o["first"])),
        key_figure(fmt_number(o["units"], lang), t["key_units"].format(last=o["last"])),
    ]
    if o["independent"] is not None:
        figures.append(key_figure(fmt_percent(o["independent"], lang, 0), t["key_independent"].format(last=o["last"])))
    return html.Div(figures, className="key-figures")


def status_text(f: CommerceFilter, lang: str) -> str:
    what = f"{f.year} ; {cc.PERIMETER_LABELS[lang][f.perimeter]}" if lang == "fr" else \
        f"{f.year}; {cc.PERIMETER_LABELS[lang][f.perimeter]}"
    return T[lang]["status"].format(what=what)


def demo_notice(lang: str) -> html.P | None:
    meta = datasets_meta().set_index("slug")
    if not any(d in meta.index and bool(meta.at[d, "is_demo"]) for d in ("commerces", "sirene-etablissements")):
        return None
    return html.P(html.Strong(_say("demo", lang)), className="callout callout-demo")


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    f = cc.parse_filters(args)
    t = T[lang]
    query = cc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        html.Div(texts.to_dash(texts.current("commerces.lead", lang)), className="lead"),
        demo_notice(lang),
        key_figures(lang),
        html.Aside([html.H2(t["missing"], className="h6"), *texts.to_dash(texts.current("commerces.missing", lang))],
                   className="callout"),
        filters_block(f, lang),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(cc.STORY)],
    ], className="story")

