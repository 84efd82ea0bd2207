"""The home page: what the site offers, key figures, a card per story."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.charts import schools as sc
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number
from webapp.i18n import href, of_city
from webapp.layouts.components import key_figure

T = {
    "fr": {
        "title": "{city} en données",
        "description": "Les données publiques {of_city} en graphiques et en phrases simples : écoles, logement, "
                       "et les jeux de données ouverts de la ville.",
        "lead": "Des graphiques et des phrases simples pour comprendre la ville à partir de ses données publiques. "
                "Chaque graphique indique sa source, se lit aussi sous forme de tableau et se télécharge.",
        "figures": "En chiffres",
        "quartiers": "quartiers statistiques (IRIS)",
        "schools": "établissements scolaires suivis",
        "datasets": "jeux de données ouverts",
        "stories": "Les sujets",
        "schools_title": "Écoles, collèges et lycées",
        "schools_text": "Où sont les établissements, quel est le milieu social de leurs élèves, combien d'élèves ils "
                        "accueillent et comment ils réussissent au brevet.",
        "schools_link": "Explorer les écoles",
        "housing_title": "Logement",
        "housing_text": "Le prix des appartements et des maisons au m², les ventes, les logements vacants et sociaux, quartier par quartier.",
        "housing_link": "Explorer le logement",
        "footfall_title": "Fréquentation du centre-ville",
        "footfall_text": "Quand les rues du centre sont animées, l'effet du marché de Noël ou des soldes, et d'où viennent "
                         "les visiteurs.",
        "footfall_link": "Explorer la fréquentation",
        "commerce_title": "Commerces",
        "commerce_text": "La vacance des boutiques, les ouvertures et fermetures, les activités et les rues du centre.",
        "commerce_link": "Explorer les commerces",
        "reports_title": "Signalements",
        "reports_text": "Ce que les habitants signalent à la ville (voirie, propreté, éclairage…), où, et en combien de "
                        "temps c'est résolu.",
        "reports_link": "Explorer les signalements",
        "data_title": "Données ouvertes",
        "data_text": "Tous les jeux de données du site, leur producteur, leur licence et leur date, à télécharger.",
        "data_link": "Voir les données",
    },
    "en": {
        "title": "{city} in data",
        "description": "{city}'s public data in charts and plain sentences: schools, housing, and the "
                       "town's open datasets.",
        "lead": "Charts and plain sentences to understand the town from its public data. Every chart names its "
                "source, reads as a table too, and can be downloaded.",
        "figures": "In figures",
        "quartiers": "statistical neighbourhoods (IRIS)",
        "schools": "schools followed",
        "datasets": "open datasets",
        "stories": "Topics",
        "schools_title": "Schools",
        "schools_text": "Where the schools are, the social background of their pupils, how many pupils they teach "
                        "and how they do at the brevet.",
        "schools_link": "Explore the schools",
        "housing_title": "Housing",
        "housing_text": "The price of flats and houses per m², sales, vacant and social housing, neighbourhood by neighbourhood.",
        "housing_link": "Explore housing",
        "footfall_title": "City-centre footfall",
        "footfall_text": "When the centre's streets are busy, the effect of the Christmas market or the sales, and where "
                         "visitors come from.",
        "footfall_link": "Explore footfall",
        "commerce_title": "Shops",
        "commerce_text": "Shop vacancy, openings and closures, what the shops sell and the centre's streets.",
        "commerce_link": "Explore the shops",
        "reports_title": "Residents' reports",
        "reports_text": "What residents report to the city (roads, litter, lighting…), where, and how fast it is resolved.",
        "reports_link": "Explore the reports",
        "data_title": "Open data",
        "data_text": "Every dataset of the site, its producer, licence and date, to download.",
        "data_link": "See the data",
    },
}


def title(lang: str) -> str:
    return T[lang]["title"].format(city=get_settings().city_name)


def description(lang: str) -> str:
    return T[lang]["description"].format(city=get_settings().city_name, of_city=of_city(get_settings().city_name))


def _card(heading: str, text: str, link: str, url: str) -> html.Div:
    return html.Div(html.Div([
        html.H3(heading, className="h5 card-title"),
        html.P(text, className="card-text"),
        html.A(link, href=url, className="btn btn-primary"),
    ], className="card-body"), className="card h-100")


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    t, o = T[lang], sc.overview()
    quartiers = len(sc.iris_choices()["rows"])
    return html.Div([
        html.H1(title(lang)),
        html.P(t["lead"], className="lead"),
        html.H2(t["figures"], className="h4"),
        html.Div([
            key_figure(fmt_number(quartiers, lang), t["quartiers"]),
            key_figure(fmt_number(sum(o["counts"].values()), lang), t["schools"]),
            key_figure(fmt_number(len(datasets_meta()), lang), t["datasets"]),
        ], className="key-figures"),
        html.H2(t["stories"], className="h4"),
        html.Div([
            html.Div(_card(t["schools_title"], t["schools_text"], t["schools_link"], href("/ecoles", lang)),
                     className="col-12 col-md-6"),
            html.Div(_card(t["housing_title"], t["housing_text"], t["housing_link"], href("/logement", lang)),
                     className="col-12 col-md-6"),
            html.Div(_card(t["footfall_title"], t["footfall_text"], t["footfall_link"], href("/frequentation", lang)),
                     className="col-12 col-md-6"),
            html.Div(_card(t["commerce_title"], t["commerce_text"], t["commerce_link"], href("/commerces", lang)),
                     className="col-12 col-md-6"),
            html.Div(_card(t["reports_title"], t["reports_text"], t["reports_link"], href("/signalements", lang)),
                     className="col-12 col-md-6"),
            html.Div(_card(t["data_title"], t["data_text"], t["data_link"], href("/donnees", lang)),
                     className="col-12 col-md-6"),
        ], className="row g-3"),
    ], className="home")
