"""The catalogue at /donnees: every dataset with its description, versions, data dictionary, uses and
downloads, searchable and filtered by theme.

The page is plain HTML (`Page.static`: no Dash scripts, no callback) and the search a GET form (`q`,
`theme`): a filtered catalogue is a shareable link like any filtered story.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from dash import dcc, html

from webapp.data import catalogue
from webapp.formatting import fmt_date, fmt_number
from webapp.i18n import N_, _, href, ngettext, pgettext
from webapp.layouts.components import lang_query, sentence
from webapp.public_error import bad_parameter

PARAM_QUERY, PARAM_THEME, ALL = "q", "theme", "tous"
TYPES = {"string": N_("texte"), "integer": N_("entier"), "number": N_("nombre"), "date": N_("date"),
         "datetime": N_("date et heure"), "boolean": N_("booléen"), "year": N_("année"), "yearmonth": N_("année-mois"),
         "geojson": N_("géométrie (GeoJSON)"), "object": N_("objet JSON")}


def title(lang: str) -> str:
    return _("Données ouvertes", lang)


def description(lang: str) -> str:
    return _("Le catalogue des jeux de données du site : description, producteur, licence, versions, dictionnaire "
             "des données et téléchargements CSV, JSON et XLSX.", lang)


def _folded(text: str) -> str:
    """Lower case without accents: 'Écoles' and 'ecoles' match."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if unicodedata.category(c) != "Mn")


def matches(e: dict[str, Any], words: str, theme: str | None) -> bool:
    if theme and e["theme"] != theme:
        return False
    haystack = _folded(" ".join([e["slug"], e["producer"], *e["title"].values(), *e["description"].values(),
                                 *(f["name"] for f in e["fields"])]))
    return all(w in haystack for w in _folded(words).split())


def parse_filters(args: Mapping[str, str]) -> tuple[str, str | None]:
    words = (args.get(PARAM_QUERY) or "").strip()[:200]
    theme = (args.get(PARAM_THEME) or ALL).strip()
    themes = sorted({e["theme"] for e in catalogue.entries()})
    if theme not in (*themes, ALL):
        raise bad_parameter(PARAM_THEME, theme, [*themes, ALL])
    theme = None if theme == ALL else theme
    return words, theme


def _download(slug: str, fmt: str, version: int | None) -> str:
    query = {"version": str(version)} if version else {}
    return f"/donnees/{slug}.{fmt}" + ("?" + urlencode(query) if query else "")


def _date(value: str | None, lang: str) -> str:
    return fmt_date(pd.Timestamp(value).date(), lang) if value else "–"


def _downloads(e: dict[str, Any], version: int, lang: str, original: str | None = None) -> list:
    links: list = []
    for fmt in catalogue.FORMATS:
        if fmt == "xlsx" and not catalogue.offers_xlsx(e, version):
            continue
        label = _("Télécharger {title}, version {version}, {format}", lang, title=e["title"][lang], version=version,
                  format=fmt.upper())
        links.append(html.A(fmt.upper(), href=_download(e["slug"], fmt, version if version != e["version"] else None),
                            className="btn btn-sm btn-outline-primary me-2 mb-1", **{"aria-label": label}))
    if original:
        label = _("Télécharger {title} : fichier d'origine ({file})", lang, title=e["title"][lang], file=original)
        links.append(html.A(_("fichier d'origine", lang), href=f"/donnees/{e['slug']}/{original}",
                            className="btn btn-sm btn-outline-secondary mb-1", **{"aria-label": label}))
    return links


def _table(heading: str, columns: list[str], rows: list, label: str) -> html.Details:
    """A folded table of an article (versions, data dictionary), scrollable on a phone."""
    return html.Details([
        html.Summary(heading),
        html.Div(html.Table([
            html.Thead(html.Tr([html.Th(c, scope="col") for c in columns])),
            html.Tbody(rows),
        ], className="table table-sm"), className="table-responsive", tabIndex="0", role="region",
            **{"aria-label": label}),
    ], className="mb-2")


def _history(e: dict[str, Any], lang: str) -> html.Details:
    demo = " (" + _("données de démonstration", lang) + ")"
    rows = [html.Tr([
        html.Td(str(v["version"])), html.Td(_date(v["published_at"], lang)), html.Td(fmt_number(v["rows"], lang)),
        html.Td(v["note"] + (demo if v["is_demo"] else "")),
        html.Td(_downloads(e, v["version"], lang)),
    ]) for v in reversed(e["versions"])]
    columns = [_("Version", lang), _("Publiée le", lang), _("Lignes", lang), _("Note", lang), _("Fichiers", lang)]
    return _table(_("Historique des versions", lang), columns, rows,
                  _("Historique des versions : {title}", lang, title=e["title"][lang]))


def _dictionary(e: dict[str, Any], lang: str) -> html.Details:
    rows = [html.Tr([html.Th(html.Code(f["name"]), scope="row"),
                     html.Td(_(TYPES[f["type"]], lang) if f["type"] in TYPES else f["type"]),
                     html.Td(f["description"]), html.Td(f["unit"] or "")]) for f in e["fields"]]
    n = len(e["fields"])
    columns = [_("Champ", lang), _("Type", lang), _("Description", lang), _("Unité", lang)]
    return _table(ngettext("Dictionnaire des données ({n} champ)", "Dictionnaire des données ({n} champs)", n, lang),
                  columns, rows,
                  ngettext("Dictionnaire des données ({n} champ) : {title}",
                           "Dictionnaire des données ({n} champs) : {title}", n, lang, title=e["title"][lang]))


def _uses(e: dict[str, Any], lang: str) -> list:
    if not e["uses"]:
        return [html.P(_("Aucun graphique ne l'utilise encore.", lang))]
    return [html.Ul([html.Li([html.A(u["title"][lang], href=href(u["story"], lang) + f"#{u['chart']}"), " (",
                              html.A(_("widget", lang), href=href(f"/embed/{u['chart']}", lang)),
                              ")"]) for u in e["uses"]])]


def _meta(e: dict[str, Any], served: dict[str, Any] | None, lang: str) -> list[tuple[str, Any]]:
    """(label, value) of the article's description list."""
    theme = catalogue.THEMES.get(e["theme"], {}).get(lang, e["theme"])
    frequency = catalogue.FREQUENCIES.get(e["frequency"], {}).get(lang, e["frequency"])
    meta = [
        (_("Producteur", lang), e["producer"]), (_("Licence", lang), html.A(e["licence"], href=e["licence_url"])),
        (_("Thème", lang), theme), (_("Mise à jour", lang), frequency), (_("Période couverte", lang), e["coverage"]),
        (pgettext("zone couverte", "Territoire", lang), e["spatial"][lang]), (_("Date des données", lang), _date(e["last_update"], lang)),
    ]
    if served:
        rows = ngettext("{version} ({n} ligne)", "{version} ({n} lignes)", served["rows"], lang,
                        n=fmt_number(served["rows"], lang), version=e["version"])
        meta += [(_("Publié sur le site", lang), _date(served["published_at"], lang)), (_("Version servie", lang), rows)]
    if e["source_url"]:
        meta.append((_("Source d'origine", lang), html.A(e["source_url"], href=e["source_url"])))
    return meta


def article(e: dict[str, Any], original: str | None, lang: str) -> html.Article:
    served = next((v for v in e["versions"] if v["version"] == e["version"]), None)
    heading = f"jeu-{e['slug']}"
    return html.Article([
        html.H2(e["title"][lang], className="h5", id=heading),
        html.P([html.Span(_("Données de démonstration", lang) if e["is_demo"] else _("Données officielles", lang),
                          className="badge " + ("text-bg-warning" if e["is_demo"] else "text-bg-secondary")),
                " ", html.Code(e["slug"])]),
        html.P(html.Strong(_("Ces données sont générées par le site pour la démonstration, au format officiel : "
                             "elles ne sont pas des données officielles et seront remplacées par le fichier réel.",
                             lang))) if e["is_demo"] else None,
        html.P(e["description"][lang]),
        html.Dl([part for label, value in _meta(e, served, lang) for part in (html.Dt(label), html.Dd(value))],
                className="dataset-meta"),
        html.Div([html.Span(_("Télécharger :", lang) + " ", className="me-2"),
                  *_downloads(e, e["version"], lang, original)], className="mb-2") if served else None,
        _history(e, lang),
        _dictionary(e, lang),
        html.Details([html.Summary(_("Utilisé par", lang)), *_uses(e, lang)], className="mb-2"),
    ], className="dataset card card-body mb-3", **{"aria-labelledby": heading})


def _lang_fields(lang: str) -> list[dcc.Input]:
    """The hidden field that keeps the language in a GET form (none in French)."""
    return [dcc.Input(type="hidden", name=k, value=v) for k, v in lang_query(lang).items()]


def search_form(words: str, theme: str | None, themes: list[str], lang: str) -> html.Form:
    search = _("Rechercher un jeu de données", lang)
    options = [(_("Tous les thèmes", lang), ALL), *((catalogue.THEMES.get(k, {}).get(lang, k), k) for k in themes)]
    return html.Form([
        html.H2(search, className="h5"),
        html.Div([
            html.Div([html.Label(_("Mots recherchés", lang), htmlFor="donnees-q",
                                 className="form-label fw-semibold fs-6"),
                      dcc.Input(id="donnees-q", name=PARAM_QUERY, type="search", value=words,
                                className="form-control")],
                     className="filter-group"),
            html.Div([html.Label(_("Thème", lang), htmlFor="donnees-theme", className="form-label fw-semibold fs-6"),
                      html.Select([html.Option(label, value=value, selected=value == (theme or ALL))
                                   for label, value in options],
                                  id="donnees-theme", name=PARAM_THEME, className="form-select")],
                     className="filter-group"),
            html.Div(html.Button(_("Rechercher", lang), type="submit", className="btn btn-primary"),
                     className="filter-group align-self-end"),
            *_lang_fields(lang),
        ], className="filters-row"),
    ], action="/donnees", method="get", role="search", className="filters", **{"aria-label": search})


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    words, theme = parse_filters(args)
    every = catalogue.entries()
    found = [e for e in every if matches(e, words, theme)]
    originals = {e["slug"]: next((v["file_name"] for v in e["versions"] if v["version"] == e["version"]), None)
                 for e in found}
    count = ngettext("{n} jeu de données", "{n} jeux de données", len(found), lang, n=fmt_number(len(found), lang))
    links = {k: html.A(label, href=url) for k, label, url in (
        ("api", "/api/v1/", "/api/v1/"), ("openapi", "openapi.json", "/api/v1/openapi.json"),
        ("dcat", "catalogue.jsonld", "/donnees/catalogue.jsonld"))}
    return html.Div([
        html.H1(title(lang)),
        html.P(_("Chaque jeu de données que montre le site, tel qu'il est publié : qui le produit, sous quelle "
                 "licence, ce que dit chaque colonne, les graphiques qui l'utilisent, et chacune de ses versions à "
                 "télécharger. Sauf mention contraire, les données sont sous Licence Ouverte / Etalab 2.0.", lang),
               className="lead"),
        html.P(sentence(_("Pour les développeurs : l'API JSON ({api}, description OpenAPI {openapi}) et le catalogue "
                          "DCAT-AP pour data.gouv.fr ({dcat}).", lang), **links)),
        search_form(words, theme, sorted({e["theme"] for e in every}), lang),
        html.P(count if found else _("Aucun jeu de données ne correspond à cette recherche.", lang), role="status",
               className="fw-semibold"),
        *[article(e, originals[e["slug"]], lang) for e in found],
    ], className="opendata")
