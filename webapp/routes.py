"""Plain Flask routes: shipped source files, robots.txt, health check."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from markdown_it import MarkdownIt
from markupsafe import Markup

from webapp import pages
from webapp.data.store import served_file
from webapp.i18n import href, tr

DOCS = Path(__file__).resolve().parents[1] / "docs"
GUIDES = {"integrer-un-graphique": "integrer-un-graphique.md"}  # guides for the city's staff, in French

bp = Blueprint("site", __name__)


@bp.route("/donnees/<slug>/<name>")
def source_file(slug: str, name: str) -> Response:
    """The file the served version of a dataset was imported from, byte for byte."""
    content = served_file(slug, name)
    if content is None:
        abort(404)
    return send_file(io.BytesIO(content), as_attachment=True, download_name=name, max_age=300)


@bp.route("/aide/<name>")
def guide(name: str) -> Response:
    """A guide of docs/ as a page of the site (Markdown without raw HTML)."""
    if name not in GUIDES:
        abort(404)
    text = (DOCS / GUIDES[name]).read_text(encoding="utf-8")
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text.replace("](img/", "](/aide/img/"))
    title = text.splitlines()[0].lstrip("# ").strip()
    assets = current_app.extensions["arras_assets"]
    html = render_template(  # the guides are written in French only: the language switch leads home
        "doc.html", lang="fr", title=title, description=title, body=Markup(body),
        settings=current_app.extensions["arras_settings"], tr=tr, href=href, current=request.path,
        other_lang="en", switch_href="/?lang=en", nav=[p for p in pages.PAGES.values() if p.nav],
        favicon=assets.url("favicon.svg"), theme_css=assets.url("vendor/theme.min.css"),
        site_css=assets.url("css/site.css"),
    )
    return Response(html, mimetype="text/html")


@bp.route("/aide/img/<name>")
def guide_image(name: str) -> Response:
    path = (DOCS / "img" / name).resolve()
    if path.parent != (DOCS / "img").resolve() or not path.is_file():
        abort(404)
    return send_file(path, max_age=86400)


@bp.route("/robots.txt")
def robots() -> Response:
    return Response("User-agent: *\nAllow: /\n", mimetype="text/plain")


@bp.route("/healthz")
def health() -> Response:
    current_app.extensions["arras_db"].scalar("SELECT 1")
    return Response("ok\n", mimetype="text/plain")
