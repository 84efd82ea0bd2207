"""Bad requests to Dash's own endpoints get a 4xx with a sentence, not a 500."""

from __future__ import annotations

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, jsonify, request


def _bad(message: str, status: int = 400) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def register(app: Dash) -> None:
    server = app.server

    @server.before_request
    def validate_callback_request() -> Response | None:
        """Reject a callback request that names no registered callback, before Dash reads it."""
        if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
            return None
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("inputs", []), list):
            return _bad("Requête de mise à jour invalide : un objet JSON avec « output » et « inputs » est attendu.")
        if body.get("output") not in app.callback_map:
            return _bad("Requête de mise à jour invalide : aucun graphique ou filtre ne correspond à « output ».")
        return None

    @server.errorhandler(DependencyException)
    def unknown_dependency(_exc: DependencyException) -> Response:
        return Response("Fichier introuvable.\n", status=404, mimetype="text/plain")
