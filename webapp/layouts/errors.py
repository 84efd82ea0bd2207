"""Error pages in the site's shell: 404 with navigation, 400 naming the parameter and its allowed values."""

from __future__ import annotations

from dash import html

from webapp.i18n import N_, _, href
from webapp.stories import STORIES, modules

def links() -> list[tuple[str, str]]:
    """Where an error page sends the reader: home, each story (its `LINK`), the open data."""
    stories = [(story.path, module.LINK) for story, module in zip(STORIES, modules("webapp.layouts"))]
    return [("/", N_("l'accueil")), *stories, ("/donnees", N_("les données ouvertes"))]


def _links(lang: str) -> html.Div:
    return html.Div([html.P(_("Vous pouvez aller vers :", lang)), html.Ul([
        html.Li(html.A(_(label, lang), href=href(path, lang))) for path, label in links()
    ])])


def not_found(lang: str) -> html.Div:
    return html.Div([html.H1(titles(lang)[404]), html.P(_("Cette adresse ne correspond à aucune page du site.", lang)),
                     _links(lang)], className="prose")


def bad_request(lang: str, message: str, path: str, title: str | None = None) -> html.Div:
    """What is wrong with the address (a public error's title and message), and where to go instead."""
    return html.Div([
        html.H1(title or titles(lang)[400]), html.P(message, className="alert alert-warning"),
        html.P(html.A(_("Voir la page sans ces paramètres", lang), href=href(path, lang))),
        _links(lang),
    ], className="prose")


def titles(lang: str) -> dict[int, str]:
    return {404: _("Page introuvable", lang), 400: _("Adresse incorrecte", lang)}
