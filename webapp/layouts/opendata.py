"""The open data page: every dataset of the store with its producer, licence, date and download."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from dash import html

from webapp.data.store import datasets_meta, served_files
from webapp.formatting import fmt_date, fmt_number

T = {
    "fr": {
        "title": "Données ouvertes",
        "description": "Les jeux de données du site : producteur, licence, couverture, date et téléchargement CSV.",
        "lead": "Chaque jeu de données utilisé par le site, tel qu'il est stocké, avec sa source d'origine.",
        "producer": "Producteur", "licence": "Licence", "coverage": "Période couverte", "updated": "Copie du",
        "version": "Version", "source": "Source d'origine", "download": "Télécharger le fichier source", "demo": "Données de démonstration",
        "official": "Données officielles",
    },
    "en": {
        "title": "Open data",
        "description": "The site's datasets: producer, licence, coverage, date and CSV download.",
        "lead": "Every dataset the site uses, as stored, with its original source.",
        "producer": "Producer", "licence": "Licence", "coverage": "Coverage", "updated": "Copied on",
        "version": "Version", "source": "Original source", "download": "Download the source file", "demo": "Demo data",
        "official": "Official data",
    },
}


def title(lang: str) -> str:
    return T[lang]["title"]


def description(lang: str) -> str:
    return T[lang]["description"]


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    t = T[lang]
    items = []
    for row in datasets_meta().itertuples():
        items.append(html.Article([
            html.H2(row.title_fr if lang == "fr" else row.title_en, className="h5", id=f"jeu-{row.slug}"),
            html.P(html.Span(t["demo"] if row.is_demo else t["official"],
                             className="badge " + ("text-bg-warning" if row.is_demo else "text-bg-secondary"))),
            html.P(row.description_fr if lang == "fr" else row.description_en),
            html.Dl([
                html.Dt(t["producer"]), html.Dd(row.producer),
                html.Dt(t["licence"]), html.Dd(html.A(row.licence, href=row.licence_url)),
                html.Dt(t["coverage"]), html.Dd(row.coverage),
                html.Dt(t["updated"]), html.Dd(fmt_date(pd.Timestamp(row.last_update).date(), lang)),
                html.Dt(t["version"]), html.Dd(fmt_number(row.version, lang)),
                *([html.Dt(t["source"]), html.Dd(html.A(row.source_url, href=row.source_url))] if row.source_url else []),
            ], className="dataset-meta"),
            html.Ul([html.Li(html.A(f"{t['download']} : {name}" if lang == "fr" else f"{t['download']}: {name}",
                                    href=f"/donnees/{row.slug}/{name}"))
                     for name in [served_files().get(row.slug)] if name], className="list-unstyled"),
        ], className="dataset card card-body mb-3", **{"aria-labelledby": f"jeu-{row.slug}"}))
    return html.Div([html.H1(t["title"]), html.P(t["lead"], className="lead"), *items], className="opendata")
