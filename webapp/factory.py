"""The app factory: binds the store, the extensions, the front doors (pages, widgets, API, DCAT, editor)."""

from __future__ import annotations

import functools
from pathlib import Path

from dash import Dash, dcc, html
from flask import Flask, Response, current_app, g, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

from embeds.fastpath import WidgetFastPath, versions_token
from embeds.views import bp as embeds_bp
from webapp import auth, cli, editor, errors, shell
from webapp.api import bp as api_bp
from webapp.assets import AssetStore
from webapp.assets import bp as assets_bp
from webapp.callbacks import charts as chart_callbacks
from webapp.callbacks import router
from webapp.callbacks.stories import url_stores
from webapp.charts import load_all, uses_of
from webapp.data import migrate, store
from webapp.demo import seed
from webapp.data.db import Database
from webapp.dcat import bp as dcat_bp
from webapp.extensions import cache, compress
from webapp.routes import bp as site_bp
from webapp.settings import Settings
from webapp.stories import STORIES, modules

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> Dash:
    """Build the Flask server and the Dash app; `settings` defaults to the environment's."""
    settings = settings or Settings.from_env()
    server = Flask("webapp", instance_relative_config=True, static_folder=None)
    server.config.update(
        SECRET_KEY=settings.secret_key or auth.secret_key(server.instance_path),
        CACHE_TYPE=settings.cache_type,
        CACHE_REDIS_URL=settings.redis_url,
        CACHE_DEFAULT_TIMEOUT=settings.cache_timeout,
        CACHE_KEY_PREFIX="arras:",
        COMPRESS_MIMETYPES=["text/html", "text/css", "text/plain", "text/csv", "application/json",
                            "application/javascript", "text/javascript", "image/svg+xml", "application/ld+json",
                            "text/turtle", "application/rdf+xml"],
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=5,
        COMPRESS_MIN_SIZE=500,
    )
    cache.init_app(server)
    compress.init_app(server)
    assets = AssetStore()
    server.extensions["arras_assets"] = assets
    _bind_data(server, settings)
    server.extensions["arras_static_index"] = shell.make_static_index(assets)
    server.register_blueprint(assets_bp)
    server.register_blueprint(site_bp)
    server.register_blueprint(embeds_bp)
    server.register_blueprint(api_bp)
    server.register_blueprint(dcat_bp)
    cli.register(server)
    auth.init_app(server)
    editor.init_app(server)

    app = Dash(
        "webapp", server=server, title=f"{settings.city_name} en données",
        include_assets_files=False, assets_ignore=".*", serve_locally=True, compress=False,
        suppress_callback_exceptions=True, update_title=None,
    )
    app.index_string = shell.make_index_string(assets)
    app.layout = html.Div([dcc.Location(id=router.URL_ID, refresh=False), html.Div(id=router.PAGE_ID),
                           *url_stores([story.group for story in STORIES])])
    load_all()
    # Dash's catch-all view calls `app.index()`: ours adds the status code, the language, the
    # header and footer, and the page's content rendered on the server.
    app.index = lambda *args, **kwargs: shell.render_index(app)  # type: ignore[method-assign]
    router.register(app)
    chart_callbacks.register(app)
    for story_callbacks in modules("webapp.callbacks"):
        story_callbacks.register(app)
    errors.register(app)
    server.after_request(functools.partial(_security_headers, _frame_ancestors(settings)))
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    server.wsgi_app = WidgetFastPath(server.wsgi_app, versions_token(server.extensions["arras_db"]),
                                     ttl=settings.widget_version_ttl)
    return app


def _current_context() -> store.Context:
    """The data layer's view of the running app: its store, and `g` as the context's namespace."""
    return store.Context(current_app.extensions["arras_store"], g, has_request_context())


def _bind_data(server: Flask, settings: Settings) -> None:
    url = settings.database_url or f"sqlite:///{Path(server.instance_path) / 'arras.sqlite3'}"
    db = Database(url)
    server.extensions["arras_db"] = db
    server.extensions["arras_settings"] = settings
    current = functools.partial(server.extensions.get, "arras_settings")  # tests may swap the settings
    server.extensions["arras_store"] = store.Store(
        db=db, cache=cache, settings_of=current, cache_key=lambda: f"{server.extensions['arras_assets'].build}:{current().content_key}",
        dataset_uses=uses_of)
    store.bind(_current_context)
    if settings.seed_on_start:
        migrate.upgrade(db)
        missing = seed.unserved(db)
        if missing:
            seed.seed(db, only=missing)


def _frame_ancestors(settings: Settings) -> str:
    """Who may frame a widget: the site itself and the configured origins (`*`: anyone)."""
    if "*" in settings.embed_origins:
        return "*"
    return " ".join(["'self'", *settings.embed_origins])


def _security_headers(widget_ancestors: str, response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.path.startswith("/embed/"):
        # Widgets are made to be framed, by the allow-list only; they never set a cookie.
        response.headers["Content-Security-Policy"] = f"frame-ancestors {widget_ancestors}"
        response.headers.pop("Set-Cookie", None)
    else:
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'self'")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response
