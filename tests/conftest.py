"""Shared fixtures: one database and cache from the environment, one app, one live server, one browser.

The same suite runs on the embedded defaults (a SQLite file in a temporary folder, in-process cache)
and on PostgreSQL + Redis: set DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
and CACHE_TYPE=RedisCache (REDIS_URL defaults to redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
INSTALL_HINT = "apt-get install -y chromium chromium-driver"


# --- database, settings, app -------------------------------------------------------------------

@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'arras-test.sqlite3'}"


@pytest.fixture(scope="session")
def settings(database_url):
    from webapp.settings import Settings

    cache_type = os.environ.get("CACHE_TYPE", "SimpleCache")
    extra = {"cache_type": cache_type}
    if cache_type == "RedisCache":
        extra["redis_url"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return Settings.from_env(database_url=database_url, secret_key="test-secret", seed_on_start=False, **extra)


def reset_database(url: str) -> None:
    """Drop every table of the metadata and Alembic's, then migrate and seed from scratch."""
    from webapp.data import migrate
    from webapp.demo import seed
    from webapp.data.db import Database
    from webapp.data.tables import metadata

    db = Database(url)
    try:
        metadata.drop_all(db.engine)
        with db.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        migrate.upgrade(db)
        seed.seed(db)
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def app(settings):
    """The Dash app (one per session), on a freshly migrated and seeded database and an empty cache."""
    reset_database(settings.database_url)
    from webapp import create_app
    from webapp.extensions import cache

    dash_app = create_app(settings)
    with dash_app.server.app_context():
        cache.clear()
    yield dash_app
    dash_app.server.extensions["arras_db"].dispose()


@pytest.fixture(scope="session")
def server(app):
    return app.server


@pytest.fixture(scope="session")
def db(server):
    return server.extensions["arras_db"]


@pytest.fixture()
def client(server):
    return server.test_client()


@pytest.fixture()
def ctx(server):
    """A request context: `g` (which memoizes dataset versions) is fresh for each test."""
    with server.test_request_context():
        yield


# --- live server and browser -------------------------------------------------------------------

@pytest.fixture(scope="session")
def live_server(server):
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    srv = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(timeout=10)


class BrowserUnavailable:
    """Stands for the browser when Chromium cannot run: each browser test then fails with the fix."""

    def __init__(self, message: str) -> None:
        self.message = message

    @property
    def page(self):
        pytest.fail(self.message, pytrace=False)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        yield BrowserUnavailable(f"Chromium is missing at {CHROMIUM}: the browser tests need it. "
                                 f"Run `{INSTALL_HINT}`.")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - reported by each browser test, with the fix
            yield BrowserUnavailable(f"Chromium at {CHROMIUM} could not be started ({exc}). Run `{INSTALL_HINT}`.")
            return
        yield chromium
        chromium.close()


class Watched:
    """A Playwright page with its console errors/warnings, page errors and requests recorded."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"pageerror: {exc}"))
        page.on("request", lambda req: self.requests.append(req.url))

    def _console(self, msg) -> None:
        if msg.type in ("error", "warning"):
            self.problems.append(f"console.{msg.type}: {msg.text}")


@pytest.fixture()
def watched(browser):
    """A fresh page (412 x 900, French) in the session's browser, watched for console problems."""
    if isinstance(browser, BrowserUnavailable):
        yield browser
        return
    context = browser.new_context(viewport={"width": 412, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Watched(page)
    context.close()
