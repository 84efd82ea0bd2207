"""The page router: the page's layout for the URL the browser opened (pathname and query)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from dash import Dash, Input, Output, State

from webapp.i18n import parse_lang
from webapp.layouts.components import without_lazy_tables
from webapp.shell import page_content

URL_ID, PAGE_ID = "url", "page-content"


def register(app: Dash) -> None:
    @app.callback(Output(PAGE_ID, "children"), Input(URL_ID, "pathname"), State(URL_ID, "search"),
                  prevent_initial_call=True)
    def route(pathname: str | None, search: str | None):
        path = pathname if isinstance(pathname, str) and pathname else "/"
        args = dict(parse_qsl(search.lstrip("?"))) if isinstance(search, str) else {}
        return without_lazy_tables(page_content(path, args, parse_lang(args.get("lang")))[3])
