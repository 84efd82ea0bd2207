"""Plain Flask routes: shipped source files, robots.txt, health check."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from markdown_it import MarkdownIt
from markupsafe import Markup

from webapp.data import catalogue
from webapp.data.store import served_file
from webapp.i18n import N_, SOURCE_LANG
from webapp.public_error import PublicError
from webapp.shell import language_switches, shell_context

DOCS = Path(__file__).resolve().parents[1] / "docs"
GUIDES = {"integrer-un-graphique": "integrer-un-graphique.md"}  # guides for the city's staff, in French

bp = Blueprint("site", __name__)


@bp.route("/donnees/<slug>.<fmt>")
def dataset_records(slug: str, fmt: str) -> Response:
    """A published version's records (`?version=N`, default: the served one) as CSV, JSON or XLSX."""
    raw = request.args.get("version")
    if raw is not None and not re.fullmatch(r"[0-9]{1,9}", raw):
        raise PublicError(400, N_("« version » doit être un numéro de version publiée, pas « {value} »."),
                          value=raw[:40])
    if fmt not in catalogue.FORMATS:
        raise PublicError(404, N_("Format inconnu « {format} » (formats : {formats})."), format=fmt,
                          formats=", ".join(catalogue.FORMATS))
    version = catalogue.published_version(slug, int(raw) if raw is not None else None)
    body = catalogue.export(slug, version, fmt)
    name = f"{slug}-v{version}.{fmt}"
    response = Response(body, mimetype=catalogue.FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public, response.cache_control.max_age = True, 300 if raw is None else 86400
    return response


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
        "doc.html", title=title, description=title, body=Markup(body),
        **shell_context(SOURCE_LANG, request.path, language_switches(SOURCE_LANG, "/", {})),
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
