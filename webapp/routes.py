"""Plain Flask routes: shipped source files, robots.txt, health check."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, send_file

from webapp.data.seed import source_path

bp = Blueprint("site", __name__)


@bp.route("/donnees/<slug>/<name>")
def source_file(slug: str, name: str) -> Response:
    path = source_path(slug, name)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=name, max_age=3600)


@bp.route("/robots.txt")
def robots() -> Response:
    return Response("User-agent: *\nAllow: /\n", mimetype="text/plain")


@bp.route("/healthz")
def health() -> Response:
    current_app.extensions["arras_db"].scalar("SELECT 1")
    return Response("ok\n", mimetype="text/plain")
