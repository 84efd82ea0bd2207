"""One explicit list of pages: path, title, description and layout, each a function of the language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dash import html

from webapp.layouts import commerce, footfall, home, housing, legal, opendata, reports, schools


@dataclass(frozen=True)
class Page:
    path: str
    nav: str | None  # i18n key of its navigation label, None when not in the main navigation
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
        Page("/", "nav_home", home.title, home.description, home.layout),
        Page("/ecoles", "nav_schools", schools.title, schools.description, schools.layout),
        Page("/logement", "nav_housing", housing.title, housing.description, housing.layout),
        Page("/frequentation", "nav_footfall", footfall.title, footfall.description, footfall.layout),
        Page("/commerces", "nav_commerce", commerce.title, commerce.description, commerce.layout),
        Page("/signalements", "nav_reports", reports.title, reports.description, reports.layout),
        Page("/donnees", "nav_data", opendata.title, opendata.description, opendata.layout, static=True),
        Page("/accessibilite", None, **_legal("accessibilite", legal.accessibility)),
        Page("/mentions-legales", None, **_legal("mentions", legal.legal_notice)),
        Page("/donnees-personnelles", None, **_legal("privacy", legal.privacy)),
    )
}


def find(path: str) -> Page | None:
    return PAGES.get(path.rstrip("/") or "/")
