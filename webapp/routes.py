"""Plain Flask routes: chart data as CSV, shipped source files, robots.txt, health check."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, request, send_file

from webapp.charts import REGISTRY, BadParameter
from webapp.data.seed import source_path
from webapp.i18n import parse_lang

bp = Blueprint("site", __name__)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells (CSV injection): '=1+1' -> "'=1+1"."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def plain_error(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


@bp.route("/embed/<slug>.csv")
def chart_csv(slug: str) -> Response:
    """Exactly the rows and columns of a chart's data table, for the same filters."""
    lang = parse_lang(request.args.get("lang"))
    chart = REGISTRY.get(slug)
    if chart is None:
        names = ", ".join(sorted(REGISTRY))
        msg = (f"Aucun graphique « {slug} ». Graphiques disponibles : {names}." if lang == "fr"
               else f"No chart “{slug}”. Available charts: {names}.")
        return plain_error(404, msg)
    try:
        params = chart.parse(request.args)
    except BadParameter as exc:
        return plain_error(400, exc.message(lang))
    table = chart.view(params, lang)["table"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table["columns"])
    for row in table["raw"]:
        writer.writerow([safe_cell(v) for v in row])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    return response


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
