"""The editor workspace at /editeur/: sign in, upload, read the report, preview, publish, roll back.

Server-rendered forms (Jinja, autoescaped), every POST checked for its CSRF token (flask-wtf),
every page but the sign-in form behind a signed-in editor, never framed, never cached.
"""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.auth import SignInRefused, authenticate
from webapp.charts import REGISTRY
from webapp.data import publishing, texts
from webapp.data import tables as t
from webapp.data.schema import TYPE_LABELS, load_schema
from webapp.data.store import get_db, get_settings
from webapp.i18n import tr

bp = Blueprint("editor", __name__, url_prefix="/editeur")
csrf = CSRFProtect()
PUBLIC_ENDPOINTS = {"editor.signin"}

T = {
    "fr": {
        "workspace": "Espace éditeur", "table_of": "Tableau : {}", "text": "Texte",
        "text_published": "Texte publié.", "text_restored": "Version rétablie.",
        "markdown_inline": "Markdown : **gras**, *italique*, [lien](https://…). Le HTML n'est pas accepté.",
        "markdown_blocks": "Markdown : **gras**, *italique*, [lien](https://…), listes « - », intertitres « ### ». "
        "Le HTML n'est pas accepté.", "signin": "Connexion", "email": "Adresse électronique",
        "password": "Mot de passe", "submit_signin": "Se connecter", "signout": "Se déconnecter",
        "datasets": "Jeux de données", "texts": "Textes des récits", "audit": "Journal d'audit",
        "served": "Version servie", "coverage": "Période couverte", "updated": "Mise à jour", "staged": "En attente",
        "upload": "Déposer une nouvelle version", "file": "Fichier (CSV, XLSX ou GeoJSON)",
        "several": "plusieurs CSV aux mêmes colonnes (un par année, comme les DVF) sont réunis en une seule version", "note": "Note de version",
        "check": "Vérifier le fichier", "versions": "Versions", "version": "Version", "status": "État",
        "by": "Par", "date": "Date", "rows": "Lignes", "file_name": "Fichier", "actions": "Actions",
        "preview": "Aperçu", "publish": "Publier cette version", "discard": "Abandonner", "rollback": "Rétablir cette version",
        "report": "Le fichier n'a pas été accepté", "report_intro": "{total} problème(s) trouvé(s). Rien n'a été publié ; "
        "la version en ligne reste inchangée. Corrigez le fichier puis déposez-le à nouveau.",
        "report_more": "Seuls les {shown} premiers problèmes sont listés.", "line": "Ligne", "column": "Colonne",
        "value": "Valeur", "rule": "Règle non respectée", "whole_file": "fichier",
        "changes": "Ce qui change par rapport à la version en ligne", "added": "lignes ajoutées",
        "removed": "lignes supprimées", "changed": "lignes modifiées", "added_one": "ligne ajoutée",
        "removed_one": "ligne supprimée", "changed_one": "ligne modifiée", "period_now": "Période en ligne",
        "period_new": "Période de cette version", "charts": "Les graphiques avec cette version",
        "ignored": "Colonnes du fichier non utilisées", "schema": "Colonnes attendues (schéma Table Schema)",
        "field": "Colonne", "type": "Type", "required": "Obligatoire", "rules": "Règles", "description": "Description",
        "yes": "oui", "no": "non", "status_staged": "en attente", "status_published": "publiée",
        "status_discarded": "abandonnée", "current": "en ligne", "too_large": "Le fichier dépasse la taille maximale "
        "autorisée ({mb} Mo). Découpez-le ou contactez l'administrateur du site.", "no_file": "Choisissez un fichier à déposer.",
        "bad_date": "La date de la source « {value} » n'est pas une date (format attendu : AAAA-MM-JJ).",
        "source_date": "Date de publication par le producteur (facultatif ; par défaut : aujourd'hui)",
        "download": "Télécharger",
        "csrf": "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page puis recommencez.",
        "published_ok": "Version {version} publiée : elle est en ligne.", "rolled_back": "Version {version} rétablie : elle est en ligne.",
        "discarded_ok": "Version {version} abandonnée.", "examples_added": "Exemples de lignes ajoutées",
        "examples_removed": "Exemples de lignes supprimées", "examples_changed": "Exemples de lignes modifiées",
        "before": "avant", "after": "après", "forbidden": "Cette page est réservée aux administrateurs.",
        "at": "Date", "actor": "Qui", "action": "Action", "target": "Objet", "address": "Adresse",
        "detail": "Détail", "demo": "données de démonstration", "read_as": "Fichier lu comme : {kind}.",
        "back": "Retour au tableau de bord", "min_count": "Effectif minimal publié",
        "sha": "SHA-256", "published_by": "publiée par {who} le {when}", "staged_by": "déposée par {who} le {when}",
    },
    "en": {
        "workspace": "Editor workspace", "table_of": "Table: {}", "text": "Text",
        "text_published": "Text published.", "text_restored": "Version restored.",
        "markdown_inline": "Markdown: **bold**, *italic*, [link](https://…). HTML is not accepted.",
        "markdown_blocks": "Markdown: **bold**, *italic*, [link](https://…), “- ” lists, “### ” headings. "
        "HTML is not accepted.", "signin": "Sign in", "email": "E-mail address",
        "password": "Password", "submit_signin": "Sign in", "signout": "Sign out",
        "datasets": "Datasets", "texts": "Story texts", "audit": "Audit log",
        "served": "Served version", "coverage": "Period covered", "updated": "Updated", "staged": "Staged",
        "upload": "Upload a new version", "file": "File (CSV, XLSX or GeoJSON)",
        "several": "several CSV files with the same columns (one a year, as DVF) make one version together", "note": "Version note",
        "check": "Check the file", "versions": "Versions", "version": "Version", "status": "Status",
        "by": "By", "date": "Date", "rows": "Rows", "file_name": "File", "actions": "Actions",
        "preview": "Preview", "publish": "Publish this version", "discard": "Discard", "rollback": "Restore this version",
        "report": "The file was not accepted", "report_intro": "{total} problem(s) found. Nothing was published; the "
        "online version is unchanged. Fix the file and upload it again.",
        "report_more": "Only the first {shown} problems are listed.", "line": "Line", "column": "Column",
        "value": "Value", "rule": "Rule broken", "whole_file": "file",
        "changes": "What changes against the online version", "added": "rows added",
        "removed": "rows removed", "changed": "rows changed", "added_one": "row added",
        "removed_one": "row removed", "changed_one": "row changed", "period_now": "Online period",
        "period_new": "This version's period", "charts": "The charts with this version",
        "ignored": "File columns not used", "schema": "Expected columns (Table Schema)",
        "field": "Column", "type": "Type", "required": "Required", "rules": "Rules", "description": "Description",
        "yes": "yes", "no": "no", "status_staged": "staged", "status_published": "published",
        "status_discarded": "discarded", "current": "online", "too_large": "The file is larger than allowed ({mb} MiB).",
        "no_file": "Choose a file to upload.",
        "bad_date": "The source date “{value}” is not a date (expected: YYYY-MM-DD).",
        "source_date": "Date the producer published it (optional; default: today)",
        "download": "Download",
        "csrf": "The form expired or does not come from this site. Reload the page and try again.",
        "published_ok": "Version {version} published: it is online.", "rolled_back": "Version {version} restored: it is online.",
        "discarded_ok": "Version {version} discarded.", "examples_added": "Examples of rows added",
        "examples_removed": "Examples of rows removed", "examples_changed": "Examples of rows changed",
        "before": "before", "after": "after", "forbidden": "This page is for administrators.",
        "at": "Date", "actor": "Who", "action": "Action", "target": "Object", "address": "Address",
        "detail": "Detail", "demo": "demo data", "read_as": "File read as: {kind}.",
        "back": "Back to the dashboard", "min_count": "Minimum published count",
        "sha": "SHA-256", "published_by": "published by {who} on {when}", "staged_by": "uploaded by {who} on {when}",
    },
}


def lang() -> str:
    return "en" if request.args.get("lang") == "en" else "fr"


def eurl(endpoint: str, **values: Any) -> str:
    """A workspace URL that keeps the reader's language."""
    if lang() == "en":
        values["lang"] = "en"
    return url_for(endpoint, **values)


def _address() -> str:
    return request.remote_addr or ""


@bp.before_request
def _guard() -> Response | None:
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        return redirect(eurl("editor.signin", next=request.full_path if request.method == "GET" else None))
    if request.method == "POST":
        csrf.protect()
    return None


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    assets = current_app.extensions["arras_assets"]
    return render_template(
        template, t=T[lang()], lang=lang(), eurl=eurl, user=current_user, settings=get_settings(),
        site=tr("site_name", lang(), city=get_settings().city_name),
        theme_css=assets.url("vendor/theme.min.css"), site_css=assets.url("css/site.css"),
        favicon=assets.url("favicon.svg"), flashed=get_flashed_messages(with_categories=True), **context,
    ), status


# --- signing in and out ---------------------------------------------------------------------------

@bp.route("/connexion", methods=["GET", "POST"])
def signin() -> Any:
    error = None
    status = 200
    if request.method == "POST":
        try:
            user = authenticate(get_db(), request.form.get("email", ""), request.form.get("password", ""),
                                _address(), get_settings().signin_max_failures)
        except SignInRefused as exc:
            error = exc.fr if lang() == "fr" else exc.en
            status = exc.status
        else:
            session.clear()  # a fresh session: no fixation of one set before signing in
            login_user(user)
            target = request.args.get("next") or ""
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/editeur/"):
                target = eurl("editor.dashboard")
            return redirect(target)
    return _page("editor/signin.html", status, error=error, email=request.form.get("email", ""))


@bp.route("/deconnexion", methods=["POST"])
def signout() -> Response:
    logout_user()
    session.clear()
    return redirect(eurl("editor.signin"))


# --- datasets --------------------------------------------------------------------------------------

def _datasets() -> list[Any]:
    with get_db().engine.connect() as conn:
        rows = conn.execute(select(t.dataset).order_by(t.dataset.c.theme, t.dataset.c.slug)).all()
        staged = {}
        for r in conn.execute(select(t.dataset_version.c.dataset_slug).where(t.dataset_version.c.status == "staged")):
            staged[r.dataset_slug] = staged.get(r.dataset_slug, 0) + 1
    return [(r, staged.get(r.slug, 0)) for r in rows]


@bp.route("/")
def dashboard() -> Any:
    return _page("editor/dashboard.html", datasets=_datasets(), blocks=texts.blocks())


def _dataset_or_404(slug: str) -> Any:
    with get_db().engine.connect() as conn:
        row = conn.execute(select(t.dataset).where(t.dataset.c.slug == slug)).first()
    if row is None:
        abort(404)
    return row


def _versions(slug: str) -> list[Any]:
    with get_db().engine.connect() as conn:
        return conn.execute(select(t.dataset_version).where(t.dataset_version.c.dataset_slug == slug)
                            .order_by(t.dataset_version.c.version.desc())).all()


def _schema_rows(slug: str) -> list[dict[str, str]]:
    schema = load_schema(slug)
    out = []
    for f in schema.fields:
        c = f.get("constraints", {})
        rules = []
        if "minimum" in c or "maximum" in c:
            rules.append(f"{c.get('minimum', '…')} – {c.get('maximum', '…')}{' ' + f['unit'] if f.get('unit') else ''}")
        if "enum" in c:
            rules.append(" | ".join(map(str, c["enum"])))
        if "pattern" in c:
            rules.append(f"ex. {f.get('example', c['pattern'])}")
        if f["name"] in schema.primary_key:
            rules.append("clé" if lang() == "fr" else "key")
        out.append({"name": f["name"], "type": TYPE_LABELS[f.get("type", "string")][0 if lang() == "fr" else 1],
                    "required": bool(c.get("required")) or f["name"] in schema.primary_key,
                    "rules": " ; ".join(rules), "description": f.get("description", "")})
    return out


def _dataset_page(slug: str, status: int = 200, **context: Any) -> Any:
    return _page("editor/dataset.html", status, dataset=_dataset_or_404(slug), versions=_versions(slug),
                 schema=_schema_rows(slug), max_mb=get_settings().upload_max_mb, **context)


@bp.route("/donnees/<slug>")
def dataset(slug: str) -> Any:
    return _dataset_page(slug)


@bp.route("/donnees/<slug>/deposer", methods=["POST"])
def upload(slug: str) -> Any:
    _dataset_or_404(slug)
    uploads = [f for f in request.files.getlist("fichier") if f.filename]
    if not uploads:
        return _dataset_page(slug, 400, error=T[lang()]["no_file"])
    raw_date = request.form.get("source_date", "").strip()
    try:
        source_date = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        return _dataset_page(slug, 400, error=T[lang()]["bad_date"].format(value=raw_date))
    files = [(f.read(), f.filename) for f in uploads]
    try:
        staged = publishing.stage_files(get_db(), slug, files, current_user.email,
                                        note=request.form.get("note", "")[:2000], source_date=source_date)
    except publishing.Rejected as exc:
        return _dataset_page(slug, 422, report=exc.report,
                             file_name=exc.file_name or ", ".join(name for _, name in files))
    t = T[lang()]
    read = t["read_as"].format(kind=staged.file_kind)
    if staged.ignored_columns:  # a long list here often means the file of another dataset
        read += f" {t['ignored']} ({len(staged.ignored_columns)}) : {', '.join(staged.ignored_columns[:12])}"
        read += "…" if len(staged.ignored_columns) > 12 else "."
    flash(read, "info")
    return redirect(eurl("editor.version", slug=slug, version=staged.version))


@bp.route("/donnees/<slug>/<int:version>/fichier")
def version_file(slug: str, version: int) -> Response:
    """The file a version was imported from, byte for byte (discarded versions keep none)."""
    with get_db().engine.connect() as conn:
        row = publishing.version_row(conn, slug, version)
        content = conn.execute(select(t.dataset_file.c.content).where(
            t.dataset_file.c.dataset_slug == slug, t.dataset_file.c.version == version)).scalar()
    if row is None or content is None:
        abort(404)
    return send_file(io.BytesIO(bytes(content)), as_attachment=True, download_name=row.file_name,
                     mimetype="application/octet-stream")


@bp.route("/donnees/<slug>/<int:version>")
def version(slug: str, version: int) -> Any:
    dataset = _dataset_or_404(slug)
    with get_db().engine.connect() as conn:
        row = publishing.version_row(conn, slug, version)
        served = publishing.version_row(conn, slug, dataset.version)
    if row is None:
        abort(404)
    charts = [c for c in REGISTRY.values() if slug in c.depends]
    return _page("editor/version.html", dataset=dataset, row=row, changes=json.loads(row.changes or "{}"),
                 charts=charts, served_coverage=served.coverage if served else None)


def _act(slug: str, version: int, action: str) -> Response:
    try:
        if action == "discard":
            publishing.discard(get_db(), slug, version, current_user.email, _address())
        else:
            publishing.publish(get_db(), {slug: version}, current_user.email, action, _address())
    except publishing.Refused as exc:
        flash(exc.fr if lang() == "fr" else exc.en, "error")
        return redirect(eurl("editor.dataset", slug=slug))
    key = {"publish": "published_ok", "rollback": "rolled_back", "discard": "discarded_ok"}[action]
    flash(T[lang()][key].format(version=version), "info")
    return redirect(eurl("editor.dataset", slug=slug))


@bp.route("/donnees/<slug>/<int:version>/publier", methods=["POST"])
def publish(slug: str, version: int) -> Response:
    return _act(slug, version, "publish")


@bp.route("/donnees/<slug>/<int:version>/retablir", methods=["POST"])
def rollback(slug: str, version: int) -> Response:
    return _act(slug, version, "rollback")


@bp.route("/donnees/<slug>/<int:version>/abandonner", methods=["POST"])
def discard(slug: str, version: int) -> Response:
    return _act(slug, version, "discard")


# --- story texts -----------------------------------------------------------------------------------

@bp.route("/textes/<key>/<any(fr, en):text_lang>", methods=["GET", "POST"])
def text(key: str, text_lang: str) -> Any:
    block = texts.block(key)
    if block is None:
        abort(404)
    body = request.form.get("body") if request.method == "POST" else None
    preview = None
    if body is not None:
        body = body.replace("\r\n", "\n")[: texts.MAX_LENGTH]
        if request.form.get("action") == "publish":
            texts.publish(get_db(), key, text_lang, body, current_user.email, request.form.get("note", "")[:2000],
                          _address())
            flash(T[lang()]["text_published"], "info")
            return redirect(eurl("editor.text", key=key, text_lang=text_lang))
        preview = texts.render(body, block.inline)
    return _page("editor/text.html", block=block, text_lang=text_lang,
                 body=body if body is not None else texts.current(key, text_lang), preview=preview,
                 history=texts.history(get_db(), key, text_lang))


@bp.route("/textes/<key>/<any(fr, en):text_lang>/<int:version>/retablir", methods=["POST"])
def text_rollback(key: str, text_lang: str, version: int) -> Response:
    if texts.block(key) is None or not texts.restore(get_db(), key, text_lang, version, current_user.email,
                                                    _address()):
        abort(404)
    flash(T[lang()]["text_restored"], "info")
    return redirect(eurl("editor.text", key=key, text_lang=text_lang))


# --- audit log ---------------------------------------------------------------------------------------

@bp.route("/journal")
def audit_log() -> Any:
    if not current_user.is_admin:
        return _page("editor/message.html", 403, message=T[lang()]["forbidden"])
    with get_db().engine.connect() as conn:
        rows = conn.execute(select(t.audit_log).order_by(t.audit_log.c.id.desc()).limit(500)).all()
    return _page("editor/audit.html", rows=rows)


# --- errors --------------------------------------------------------------------------------------------

def _too_large(exc: RequestEntityTooLarge) -> Any:
    if request.path.startswith("/editeur/"):
        return _page("editor/message.html", 413,
                     message=T[lang()]["too_large"].format(mb=get_settings().upload_max_mb))
    return Response("Request too large\n", status=413, mimetype="text/plain")


def _csrf_error(exc: CSRFError) -> Any:
    return _page("editor/message.html", 400, message=T[lang()]["csrf"])


def init_app(server: Any) -> None:
    server.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked in `_guard`, for the workspace's forms
    server.config["WTF_CSRF_TIME_LIMIT"] = None  # valid for the session: a long upload must not expire it
    server.config["MAX_CONTENT_LENGTH"] = server.extensions["arras_settings"].upload_max_mb * 1024 * 1024
    csrf.init_app(server)
    server.register_blueprint(bp)
    server.register_error_handler(RequestEntityTooLarge, _too_large)
    server.register_error_handler(CSRFError, _csrf_error)

