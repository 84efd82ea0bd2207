"""One list of pages: path, title, description and layout, each a function of the language (the stories'
pages come from `webapp.stories`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dash import html

from webapp.i18n import Text, _l
from webapp.layouts import home, legal, opendata
from webapp.stories import STORIES, modules


@dataclass(frozen=True)
class Page:
    path: str
    nav: Text | None  # its navigation label (`nav[lang]`), None when not in the main navigation
    title: Callable[[str], str]
    description: Callable[[str], str]
    layout: Callable[[str, Mapping[str, str]], html.Div]
    static: bool = False  # served as plain HTML without Dash's scripts: a long page with no callback


def _legal(key: str, fn: Callable) -> dict:
    return {"title": lambda lang: legal.meta(key, lang)[0], "description": lambda lang: legal.meta(key, lang)[1],
            "layout": fn}


PAGES: dict[str, Page] = {
    p.path: p
    for p in (
        Page("/", _l("Accueil"), home.title, home.description, home.layout),
        *(Page(story.path, story.nav, module.title, module.description, module.layout)
          for story, module in zip(STORIES, modules("webapp.layouts"))),
        Page("/donnees", _l("Données ouvertes"), opendata.title, opendata.description, opendata.layout, static=True),
        Page("/accessibilite", None, **_legal("accessibilite", legal.accessibility)),
        Page("/mentions-legales", None, **_legal("mentions", legal.legal_notice)),
        Page("/donnees-personnelles", None, **_legal("privacy", legal.privacy)),
    )
}


def find(path: str) -> Page | None:
    return PAGES.get(path.rstrip("/") or "/")
