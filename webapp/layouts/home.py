"""The home page: what the site offers, key figures, a card per story."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.charts import schools as sc
from webapp.charts.geography import iris_choices
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number
from webapp.i18n import _, href, of_city, pgettext
from webapp.layouts.components import key_figure
from webapp.stories import STORIES, modules


def title(lang: str) -> str:
    return _("{city} en données", lang, city=get_settings().city_name)


def description(lang: str) -> str:
    city = get_settings().city_name
    return _("Les données publiques {of_city} en graphiques et en phrases simples : écoles, logement, "
             "et les jeux de données ouverts de la ville.", lang, city=city, of_city=of_city(city))


def _card(heading: str, text: str, link: str, url: str) -> html.Div:
    return html.Div(html.Div([
        html.H3(heading, className="h5 card-title"),
        html.P(text, className="card-text"),
        html.A(link, href=url, className="btn btn-primary"),
    ], className="card-body"), className="card h-100")


def _stories(lang: str) -> list[tuple[str, str, str, str]]:
    """(path, heading, text, link) of each story's card, in the stories' order, then the open data's."""
    cards = [(story.path, *module.card(lang)) for story, module in zip(STORIES, modules("webapp.layouts"))]
    return [*cards, ("/donnees", _("Données ouvertes", lang),
                     _("Tous les jeux de données du site, leur producteur, leur licence et leur date, à télécharger.",
                       lang),
                     pgettext("carte de l'accueil", "Voir les données", lang))]


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    o = sc.overview()
    quartiers = len(iris_choices()["rows"])
    return html.Div([
        html.H1(title(lang)),
        html.P(_("Des graphiques et des phrases simples pour comprendre la ville à partir de ses données publiques. "
                 "Chaque graphique indique sa source, se lit aussi sous forme de tableau et se télécharge.", lang),
               className="lead"),
        html.H2(_("En chiffres", lang), className="h4"),
        html.Div([
            key_figure(fmt_number(quartiers, lang), _("quartiers statistiques (IRIS)", lang)),
            key_figure(fmt_number(sum(o["counts"].values()), lang), _("établissements scolaires suivis", lang)),
            key_figure(fmt_number(len(datasets_meta()), lang), _("jeux de données ouverts", lang)),
        ], className="key-figures"),
        html.H2(_("Les sujets", lang), className="h4"),
        html.Div([html.Div(_card(heading, text, link, href(path, lang)), className="col-12 col-md-6")
                  for path, heading, text, link in _stories(lang)], className="row g-3"),
    ], className="home")
