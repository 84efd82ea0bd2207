"""The HTML of every page: Dash's scripts, the site's header and footer, and the pre-rendered content."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from dash import Dash, html
from flask import Response, current_app, render_template, request
from markupsafe import Markup, escape

from webapp import pages, prerender
from webapp.i18n import LANGS, _, href, parse_lang
from webapp.layouts import errors
from webapp.public_error import PublicError
from webapp.layouts.components import lang_query

INDEX = """<!DOCTYPE html>
<html lang="__LANG__">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<meta name="description" content="__DESCRIPTION__">
<meta name="theme-color" content="__COLOR__">
<link rel="icon" href="__FAVICON__" type="image/svg+xml">
<link rel="stylesheet" href="__THEME_CSS__">
<link rel="stylesheet" href="__SITE_CSS__">
<style>:root{--city-primary:__COLOR__}</style>
<script>Object.defineProperty(window,"_dashPlotlyJSURL",{get:function(){return "__PLOTLY__"},set:function(){}});</script>
{%css%}
</head>
<body class="prerendered">
__HEADER__
<main id="main" tabindex="-1" class="container">
<div id="prerender">__PRERENDER__</div>
<script>if(window.matchMedia&&matchMedia("(max-width: 575.98px)").matches){document.querySelectorAll("#prerender details.filters").forEach(function(d){d.open=false;});}</script>
{%app_entry%}
</main>
__FOOTER__
{%config%}
<script defer src="__REGENERATOR__"></script>
{%scripts%}
<script defer src="__SITE_JS__"></script>
{%renderer%}
</body>
</html>"""

_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
_DROPPED = ("/deps/polyfill@", "/dash_table/")  # core-js polyfills (modern browsers) and the unused DataTable


def make_index_string(assets) -> str:
    """The Dash index template with the site's fingerprinted assets filled in."""
    out = INDEX
    for marker, name in (("__THEME_CSS__", "vendor/theme.min.css"), ("__SITE_CSS__", "css/site.css"),
                         ("__PLOTLY__", "vendor/plotly-basic-fr.min.js"),
                         ("__REGENERATOR__", "vendor/regenerator-runtime.min.js"),
                         ("__SITE_JS__", "js/site.js"), ("__FAVICON__", "favicon.svg")):
        out = out.replace(marker, assets.url(name))
    return out


def make_static_index(assets) -> str:
    """The page template without Dash: the site's header, pre-rendered content and footer only."""
    out = make_index_string(assets)
    for marker in ("{%css%}", "{%app_entry%}", "{%config%}", "{%scripts%}", "{%renderer%}"):
        out = out.replace(marker, "")
    out = re.sub(r'<script defer src="[^"]+"></script>\n', "", out)  # regenerator and site.js serve Dash
    out = re.sub(r'<script>Object\.defineProperty\(window,"_dashPlotlyJSURL".*?</script>\n', "", out)
    return out.replace('<body class="prerendered">', "<body>")


def _defer_scripts(index: str) -> str:
    def repl(m: re.Match) -> str:
        src = m.group(1)
        return "" if any(d in src for d in _DROPPED) else f'<script defer src="{src}"></script>'

    index = _SCRIPT.sub(repl, index)
    # The renderer starts once the deferred bundles have run.
    return index.replace("var renderer = new DashRenderer();",
                         'document.addEventListener("DOMContentLoaded",function(){new DashRenderer();});')


def page_content(path: str, args: Mapping[str, str], lang: str) -> tuple[int, str, str, html.Div]:
    """(status, title, description, layout) of a path and query: the page, or what is wrong with the address."""
    page = pages.find(path)
    if page is None:
        return 404, errors.titles(lang)[404], errors.titles(lang)[404], errors.not_found(lang)
    try:
        return 200, page.title(lang), page.description(lang), page.layout(lang, args)
    except PublicError as exc:
        return (exc.status, exc.title(lang), exc.message(lang),
                errors.bad_request(lang, exc.message(lang), page.path, exc.title(lang)))


def _in(lang: str, message: str, /, **kwargs: object) -> str:
    return _(message, lang, **kwargs)


def gettext_in(lang: str) -> Callable[..., str]:
    """The templates' `_`: `{{ _("Mentions légales") }}` is `_("Mentions légales", lang)`."""
    return functools.partial(_in, lang)


@dataclass(frozen=True)
class LanguageSwitch:
    """A link of the header to the same page in another language, named in that language."""

    lang: str
    href: str
    name: str  # "English", "Français"
    title: str  # "Read this page in English", in that language too


@functools.cache
def _language_name(lang: str) -> str:
    return Locale.parse(lang).get_display_name(lang)


def language_switches(lang: str, path: str, args: Mapping[str, str]) -> list[LanguageSwitch]:
    """One link per other language: `path` with the query `args`, its `lang` set to that language."""
    kept = {k: v for k, v in args.items() if k != "lang"}
    switches = []
    for other in sorted(set(LANGS) - {lang}, key=LANGS.index):
        query = {**kept, **lang_query(other)}
        name = _language_name(other)
        switches.append(LanguageSwitch(other, path + ("?" + urlencode(query) if query else ""),
                                       name[:1].upper() + name[1:],
                                       _("Lire cette page en {language}", other, language=name)))
    return switches


def shell_context(lang: str, current: str, switches: list[LanguageSwitch]) -> dict[str, Any]:
    """What header.html and footer.html are rendered with."""
    return {"lang": lang, "settings": current_app.extensions["arras_settings"], "_": gettext_in(lang), "href": href,
            "current": current, "nav": [p for p in pages.PAGES.values() if p.nav], "switches": switches}


def render_index(dash_app: Dash) -> Response:
    """Dash's catch-all view: the page's HTML with its content pre-rendered, and the right status."""
    lang = parse_lang(request.args.get("lang"))
    status, title, description, content = page_content(request.path, request.args, lang)
    page = pages.find(request.path)
    if page is not None and page.static and status == 200:
        # No React tree to build: the catalogue's thousands of elements cost seconds of a phone's CPU.
        index = current_app.extensions["arras_static_index"]
    else:
        index = _defer_scripts(Dash.index(dash_app))
    return _page(index, lang, status, title, description, content)


def error_response(exc: PublicError, lang: str) -> Response:
    """A public error raised outside a page's layout, as a page of the site (header, footer, no script)."""
    content = errors.bad_request(lang, exc.message(lang), "/", exc.title(lang))
    return _page(current_app.extensions["arras_static_index"], lang, exc.status, exc.title(lang), exc.message(lang),
                 content)


def _page(index: str, lang: str, status: int, title: str, description: str, content: html.Div) -> Response:
    settings = current_app.extensions["arras_settings"]
    site = _("{city} en données", lang, city=settings.city_name)
    full_title = title if title == site else f"{title} · {site}"
    context = shell_context(lang, request.path.rstrip("/") or "/",
                            language_switches(lang, request.path, request.args))
    for marker, value in (
        ("__LANG__", lang),
        ("__TITLE__", str(escape(full_title))),
        ("__DESCRIPTION__", str(escape(description))),
        ("__COLOR__", str(escape(settings.city_primary_color))),
        ("__HEADER__", render_template("header.html", **context)),
        ("__FOOTER__", render_template("footer.html", **context)),
        ("__PRERENDER__", Markup(prerender.render(content))),
    ):
        index = index.replace(marker, value)
    response = Response(index, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response
