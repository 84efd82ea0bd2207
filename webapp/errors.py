"""The one answer to a public error, in the request's language and in the format the request asked for.

- JSON (`{"error": {"status", "message", "message_en"}}`) for the API (`/api/`), `.json` addresses
  and Dash's own endpoints;
- plain text for the other files (`.csv`, `.xlsx`, `.png`, `.svg`…), which a spreadsheet, an image
  tag or a script reads;
- HTML otherwise: a widget's error page under `/embed/`, the site's page elsewhere.

No traceback reaches a response: an unexpected exception is logged and answered as a 500 in the
same format.
"""

from __future__ import annotations

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from embeds import views as embed_views
from webapp import shell
from webapp.i18n import N_, SOURCE_LANG, parse_lang
from webapp.public_error import PublicError

JSON_FORMATS = (".json", ".jsonld")
PAGE_FORMATS = ("", ".html")


def representation(path: str) -> str:
    """"json", "text" or "html": how an error on `path` is answered (a file's address, `.csv`, `.png`,
    `.xlsx`…, gets text; a page's, HTML)."""
    if path.startswith("/api/") or path.endswith(JSON_FORMATS) or path.startswith("/_dash-"):
        return "json"
    last = path.rsplit("/", 1)[-1]
    if ("." + last.rsplit(".", 1)[1].lower() if "." in last else "") not in PAGE_FORMATS:
        return "text"
    return "html"


def answer(exc: PublicError) -> Response:
    """The response to a public error for the current request."""
    # The API speaks French with an English copy whatever is asked (it takes no `lang`).
    lang = SOURCE_LANG if request.path.startswith("/api/") else parse_lang(request.args.get("lang"))
    kind = representation(request.path)
    if kind == "json":
        response = jsonify(exc.as_json(lang))
    elif kind == "text":
        response = Response(exc.message(lang) + "\n", mimetype="text/plain")
    elif request.path.startswith("/embed/"):
        response = Response(embed_views.error_page(exc, lang), mimetype="text/html")
    else:
        response = shell.error_response(exc, lang)
    response.status_code = exc.status
    response.headers["Cache-Control"] = "no-store"
    if exc.status == 405 and getattr(exc, "allow", None):
        response.headers["Allow"] = exc.allow
    return response


def _http_error(exc: HTTPException) -> Response | HTTPException:
    """A werkzeug error (404 of an unknown address, 405, 413…): a public error under the API and in
    data formats; elsewhere the site's own pages answer."""
    if representation(request.path) == "html":
        return exc
    error = PublicError(exc.code or 500, N_("La requête n'a pas abouti (erreur HTTP {code})."), code=exc.code or 500)
    if exc.code == 405 and exc.valid_methods:
        error.allow = ", ".join(exc.valid_methods)
    return answer(error)


def _unexpected(exc: Exception) -> Response | HTTPException:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    current_app.logger.exception("unexpected error on %s", request.full_path, exc_info=exc)
    return answer(PublicError(500, N_("Erreur interne du site : elle est enregistrée, réessayez plus tard.")))


def register(app: Dash) -> None:
    server = app.server
    server.register_error_handler(PublicError, answer)
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(Exception, _unexpected)

    @server.before_request
    def validate_callback_request() -> None:
        """Reject a callback request that names no registered callback, before Dash reads it."""
        if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
            return
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("inputs", []), list):
            raise PublicError(400, N_("Requête de mise à jour invalide : un objet JSON avec « output » et « inputs » "
                                      "est attendu."))
        if body.get("output") not in app.callback_map:
            raise PublicError(400, N_("Requête de mise à jour invalide : aucun graphique ou filtre ne correspond à "
                                      "« output »."))

    @server.errorhandler(DependencyException)
    def unknown_dependency(_exc: DependencyException) -> Response:
        return answer(PublicError(404, N_("Fichier introuvable.")))
