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

from babel import Locale
from babel.lists import format_list
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    has_request_context,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import escape
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.auth import SignInRefused, authenticate
from webapp.charts import REGISTRY
from webapp.data import publishing, texts
from webapp.data import tables as t
from webapp.data.schema import TYPE_LABELS, load_schema
from webapp.data.store import get_db, get_settings
from webapp.i18n import LANGS, N_, SOURCE_LANG, _, locale_of, localized, ngettext, parse_lang, pgettext

bp = Blueprint("editor", __name__, url_prefix="/editeur")
csrf = CSRFProtect()
PUBLIC_ENDPOINTS = {"editor.signin"}

STATUSES = {"staged": N_("en attente"), "published": N_("publiée"), "discarded": N_("abandonnée")}
DONE = {"publish": N_("Version {version} publiée : elle est en ligne."),
        "rollback": N_("Version {version} rétablie : elle est en ligne."),
        "discard": N_("Version {version} abandonnée.")}


def lang() -> str:
    return parse_lang(request.args.get("lang"))


def eurl(endpoint: str, **values: Any) -> str:
    """A workspace URL that keeps the reader's language."""
    if lang() != SOURCE_LANG:
        values["lang"] = lang()
    return url_for(endpoint, **values)


def _said(exc: Exception) -> str:
    """A refusal's sentence in the reader's language (refusals carry `fr` and `en`)."""
    return getattr(exc, lang(), None) or exc.fr  # type: ignore[attr-defined]


def _title(row: Any) -> Any:
    """A dataset's title in the reader's language."""
    return localized(row._mapping, "title", lang())


ACTORS = {  # accounts that are not people: what the versions table says of them
    ("seed", True): N_("publiée à l'installation du site (données fournies avec le site) le {when}"),
    ("seed", False): N_("déposée à l'installation du site (données fournies avec le site) le {when}"),
    ("cli", True): N_("publiée en ligne de commande le {when}"),
    ("cli", False): N_("déposée en ligne de commande le {when}"),
}


def _who_did(v: Any) -> str | None:
    """Who staged or published a version, in words, when it was not a person (the installation,
    not "seed"); None for a person's account (the template names them)."""
    published = v.published_at is not None
    who, when = (v.published_by, v.published_at) if published else (v.staged_by, v.staged_at)
    if (who, published) not in ACTORS:
        return None
    return _(ACTORS[(who, published)], lang(), when=when.strftime("%Y-%m-%d %H:%M"))


def _switches() -> list[tuple[str, str, str]]:
    """The other languages of the page: (code, link, its name in itself)."""
    current = lang()
    return [(other, "?" if other == SOURCE_LANG else f"?lang={other}",
             Locale.parse(other).language_name.capitalize()) for other in LANGS if other != current]


# --- gettext in the templates: `{{ _("…") }}`, `{{ ngettext("…", "…", n) }}` in the page's language ----

def _template_lang(context: Context) -> str:
    """The language of the page rendered: its `lang` variable, else the request's."""
    given = context.get("lang") or (request.args.get("lang") if has_request_context() else None)
    return parse_lang(given)


def _safe(context: Context, text: str) -> str:
    """Escaped as any other value would be (Jinja's i18n would mark a translation safe as it is)."""
    return escape(text) if context.eval_ctx.autoescape else text


@pass_context
def _template_gettext(context: Context, message: str) -> str:
    return _safe(context, _(message, _template_lang(context)))


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _safe(context, ngettext(singular, plural, n, _template_lang(context)))


@pass_context
def _template_pgettext(context: Context, msgctxt: str, message: str) -> str:
    return _safe(context, pgettext(msgctxt, message, _template_lang(context)))


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
        template, lang=lang(), eurl=eurl, user=current_user, settings=get_settings(), statuses=STATUSES,
        title_of=_title, who_did=_who_did, switches=_switches(),
        site=_("{city} en données", lang(), city=get_settings().city_name),
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
            error = _said(exc)
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
            rules.append(_("clé", lang()))
        out.append({"name": f["name"], "type": _(TYPE_LABELS[f.get("type", "string")], lang()),
                    "required": bool(c.get("required")) or f["name"] in schema.primary_key,
                    "rules": " ; ".join(rules), "description": f.get("description", "")})
    return out


def _dataset_page(slug: str, status: int = 200, **context: Any) -> Any:
    return _page("editor/dataset.html", status, dataset=_dataset_or_404(slug), versions=_versions(slug),
                 schema=_schema_rows(slug), max_mb=get_settings().upload_max_mb, **context)


@bp.route("/donnees/<slug>")
def dataset(slug: str) -> Any:
    return _dataset_page(slug)


def _source_date(raw: str) -> tuple[date | None, str | None]:
    """The producer's date typed in the upload form, or why it is refused: it is never assumed."""
    if not raw:
        return None, _("Indiquez la date de publication par le producteur : la date à laquelle le producteur (un "
                       "ministère, l'INSEE…) a publié ce fichier, telle que sa page de téléchargement l'indique. "
                       "Les lecteurs la voient comme date de mise à jour ; le jour du dépôt ne la remplace pas. "
                       "Rien n'a été déposé.", lang())
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, _("La date de la source « {value} » n'est pas une date (format attendu : AAAA-MM-JJ).", lang(),
                       value=raw)
    if day > date.today():
        return None, _("La date de publication par le producteur ({value}) est dans le futur : indiquez la date à "
                       "laquelle le fichier a été publié. Rien n'a été déposé.", lang(), value=raw)
    return day, None


@bp.route("/donnees/<slug>/deposer", methods=["POST"])
def upload(slug: str) -> Any:
    _dataset_or_404(slug)
    uploads = [f for f in request.files.getlist("fichier") if f.filename]
    if not uploads:
        return _dataset_page(slug, 400, error=_("Choisissez un fichier à déposer.", lang()))
    source_date, refusal = _source_date(request.form.get("source_date", "").strip())
    if refusal:
        return _dataset_page(slug, 400, error=refusal)
    files = [(f.read(), f.filename) for f in uploads]
    try:
        staged = publishing.stage_files(get_db(), slug, files, current_user.email,
                                        note=request.form.get("note", "")[:2000], source_date=source_date)
    except publishing.Rejected as exc:
        return _dataset_page(slug, 422, report=exc.report,
                             file_name=exc.file_name or ", ".join(name for _content, name in files))
    read = _("Fichier lu comme : {kind}.", lang(), kind=staged.file_kind)
    ignored = staged.ignored_columns
    if ignored:  # a long list here often means the file of another dataset
        listed = ", ".join(ignored[:12]) + ("…" if len(ignored) > 12 else ".")
        read += " " + _("Colonnes du fichier non utilisées ({n}) : {columns}", lang(), n=len(ignored), columns=listed)
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


def _version_and_served(slug: str, version: int) -> tuple[Any, Any, Any]:
    """The dataset, its version `version` (404 if none) and the version readers are served."""
    dataset = _dataset_or_404(slug)
    with get_db().engine.connect() as conn:
        row = publishing.version_row(conn, slug, version)
        served = publishing.version_row(conn, slug, dataset.version)
    if row is None:
        abort(404)
    return dataset, row, served


@bp.route("/donnees/<slug>/<int:version>")
def version(slug: str, version: int) -> Any:
    dataset, row, served = _version_and_served(slug, version)
    charts = [c for c in REGISTRY.values() if slug in c.depends]
    changes = json.loads(row.changes or "{}")
    return _page("editor/version.html", dataset=dataset, row=row, changes=changes, charts=charts,
                 served_coverage=served.coverage if served else None,
                 coverage_change=coverage_sentence(changes.get("coverage"), lang()))


COVERAGE_MOVES = {  # (the span changed, periods dropped, periods added) -> the sentence
    (True, True, True): N_("La période couverte passe de {before} à {after} : le fichier ne contient plus {dropped} "
                           "et ajoute {added}."),
    (True, True, False): N_("La période couverte passe de {before} à {after} : le fichier ne contient plus "
                            "{dropped}."),
    (True, False, True): N_("La période couverte passe de {before} à {after} : le fichier ajoute {added}."),
    (True, False, False): N_("La période couverte passe de {before} à {after} : le fichier porte sur les mêmes "
                             "années, mais ses premières ou dernières dates ont changé."),
    (False, True, True): N_("La période couverte reste {after}, mais le fichier ne contient plus {dropped} et "
                            "ajoute {added}."),
    (False, True, False): N_("La période couverte reste {after}, mais le fichier ne contient plus {dropped}."),
    (False, False, True): N_("La période couverte reste {after} ; le fichier ajoute {added}."),
}


def coverage_sentence(change: dict[str, Any] | None, lang: str) -> str | None:
    """Why the period covered changes from the served version to this one, or None if it does not."""
    if not change:
        return None
    before, after = change.get("before") or "–", change.get("after") or "–"
    key = (before != after, bool(change.get("dropped")), bool(change.get("added")))
    if key not in COVERAGE_MOVES:
        return None
    return _(COVERAGE_MOVES[key], lang, before=before, after=after, dropped=_periods(change.get("dropped", []), lang),
             added=_periods(change.get("added", []), lang))


def _periods(periods: list[str], lang: str) -> str:
    """Periods in words: runs of consecutive years as spans ("2016–2018, 2020 et 2024")."""
    runs: list[list[str]] = []
    for p in periods:
        if runs and p.isdigit() and runs[-1][-1].isdigit() and int(p) == int(runs[-1][-1]) + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return format_list([r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs], locale=locale_of(lang))


def _act(slug: str, version: int, action: str) -> Response:
    try:
        if action == "discard":
            publishing.discard(get_db(), slug, version, current_user.email, _address())
        else:
            publishing.publish(get_db(), {slug: version}, current_user.email, action, _address())
    except publishing.Refused as exc:
        flash(_said(exc), "error")
        return redirect(eurl("editor.dataset", slug=slug))
    flash(_(DONE[action], lang(), version=version), "info")
    return redirect(eurl("editor.dataset", slug=slug))


@bp.route("/donnees/<slug>/<int:version>/publier", methods=["POST"])
def publish(slug: str, version: int) -> Response:
    return _act(slug, version, "publish")


@bp.route("/donnees/<slug>/<int:version>/retablir", methods=["GET", "POST"])
def rollback(slug: str, version: int) -> Any:
    """Restoring a published version goes live: a page says what readers will be served, and only
    its form's explicit confirmation (`confirm=oui`) restores it."""
    if request.method == "POST" and request.form.get("confirm") == "oui":
        return _act(slug, version, "rollback")
    dataset, row, served = _version_and_served(slug, version)
    if row.status != "published" or row.version == dataset.version:
        return _page("editor/message.html", message=_(
            "La version {version} ne peut pas être rétablie : seule une version déjà publiée, qui n'est pas celle en "
            "ligne (version {served}), peut l'être.", lang(), version=version, served=dataset.version))
    return _page("editor/rollback.html", dataset=dataset, row=row, served=served)


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
            flash(_("Texte publié.", lang()), "info")
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
    flash(_("Version rétablie.", lang()), "info")
    return redirect(eurl("editor.text", key=key, text_lang=text_lang))


# --- audit log ---------------------------------------------------------------------------------------

@bp.route("/journal")
def audit_log() -> Any:
    if not current_user.is_admin:
        return _page("editor/message.html", 403, message=_("Cette page est réservée aux administrateurs.", lang()))
    with get_db().engine.connect() as conn:
        rows = conn.execute(select(t.audit_log).order_by(t.audit_log.c.id.desc()).limit(500)).all()
    return _page("editor/audit.html", rows=rows)


# --- errors --------------------------------------------------------------------------------------------

def _too_large(exc: RequestEntityTooLarge) -> Any:
    if request.path.startswith("/editeur/"):
        return _page("editor/message.html", 413, message=_(
            "Le fichier dépasse la taille maximale autorisée ({mb} Mo). Découpez-le ou contactez l'administrateur "
            "du site.", lang(), mb=get_settings().upload_max_mb))
    return Response("Request too large\n", status=413, mimetype="text/plain")


def _csrf_error(exc: CSRFError) -> Any:
    return _page("editor/message.html", 400, message=_(
        "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page puis recommencez.", lang()))


def init_app(server: Any) -> None:
    server.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked in `_guard`, for the workspace's forms
    server.config["WTF_CSRF_TIME_LIMIT"] = None  # valid for the session: a long upload must not expire it
    server.config["MAX_CONTENT_LENGTH"] = server.extensions["arras_settings"].upload_max_mb * 1024 * 1024
    csrf.init_app(server)
    server.jinja_env.add_extension("jinja2.ext.i18n")
    server.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        _template_gettext, _template_ngettext, newstyle=True, pgettext=_template_pgettext)
    server.register_blueprint(bp)
    server.register_error_handler(RequestEntityTooLarge, _too_large)
    server.register_error_handler(CSRFError, _csrf_error)

