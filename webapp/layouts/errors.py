"""Error pages in the site's shell: 404 with navigation, 400 naming the parameter and its allowed values."""

from __future__ import annotations

from dash import html

from webapp.i18n import href

T = {
    "fr": {"404": "Page introuvable", "404_text": "Cette adresse ne correspond à aucune page du site.",
           "400": "Adresse incorrecte", "go": "Vous pouvez aller vers :", "home": "l'accueil",
           "schools": "les écoles", "housing": "le logement", "footfall": "la fréquentation du centre-ville", "commerce": "les commerces", "reports": "les signalements des habitants", "data": "les données ouvertes", "plain": "Voir la page sans ces paramètres"},
    "en": {"404": "Page not found", "404_text": "This address matches no page of the site.",
           "400": "Incorrect address", "go": "You can go to:", "home": "the home page",
           "schools": "the schools", "housing": "housing", "footfall": "city-centre footfall", "commerce": "shops", "reports": "residents' reports", "data": "the open data", "plain": "See the page without these parameters"},
}


def _links(lang: str) -> html.Div:
    t = T[lang]
    return html.Div([html.P(t["go"]), html.Ul([
        html.Li(html.A(t["home"], href=href("/", lang))),
        html.Li(html.A(t["schools"], href=href("/ecoles", lang))),
        html.Li(html.A(t["housing"], href=href("/logement", lang))),
        html.Li(html.A(t["footfall"], href=href("/frequentation", lang))),
        html.Li(html.A(t["commerce"], href=href("/commerces", lang))),
        html.Li(html.A(t["reports"], href=href("/signalements", lang))),
        html.Li(html.A(t["data"], href=href("/donnees", lang))),
    ])])


def not_found(lang: str) -> html.Div:
    return html.Div([html.H1(T[lang]["404"]), html.P(T[lang]["404_text"]), _links(lang)], className="prose")


def bad_request(lang: str, message: str, path: str) -> html.Div:
    return html.Div([
        html.H1(T[lang]["400"]), html.P(message, className="alert alert-warning"),
        html.P(html.A(T[lang]["plain"], href=href(path, lang))),
        _links(lang),
    ], className="prose")


def titles(lang: str) -> dict[int, str]:
    return {404: T[lang]["404"], 400: T[lang]["400"]}
