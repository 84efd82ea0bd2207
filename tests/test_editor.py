"""The editor workspace (/editeur/) through the Flask test client and the `users` command.

Access control on every rule of the workspace, accounts, sign-in and its throttling, session cookies,
security headers, the upload limit, the dataset path (upload -> preview -> publish -> roll back,
discard), cache coherence between two app instances, story texts and the audit log.

Expected values come from the stored files (the changed IPS is computed here from the served file),
the settings and the requests' own inputs, never from the code that builds the answer. Everything
published is rolled back (datasets) or restored (texts) so that other modules see the shipped data.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
import time
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pandas as pd
import pytest
from sqlalchemy import delete, func, select, update

from tests.helpers import parse_page, second_app, serve_again, stored_file
from webapp.auth import THROTTLE_WINDOW
from webapp.charts import REGISTRY, load_all
from webapp.data import publishing
from webapp.data import schools_tables
from webapp.data import tables as t

load_all()

PASSWORD = "une phrase de passe solide"  # well over the 12 characters asked
EDITOR = "editrice@test.invalid"
ADMIN = "admin-journal@test.invalid"
SIGNIN = "/editeur/connexion"
DASHBOARD = "/editeur/"
SLUG = "colleges-ips"  # the dataset the data-flow tests change
CHART = "ecoles-ips"  # a chart that reads it
CSV_URL, JSON_URL = f"/embed/{CHART}.csv", f"/embed/{CHART}.json"
PRODUCER_DATE = "2026-10-01"  # the producer's publication date typed in the upload form (required)
ADDRESS_FACTOR = 4  # Settings.signin_max_failures' help: "four times that per address"
CREATED: set[str] = set()  # every account this module created


# --- helpers ------------------------------------------------------------------------------------

def cli(server, *args: str, input: str | None = None):
    return server.test_cli_runner().invoke(args=list(args), input=input)


def create_account(server, email: str, role: str = "editor", password: str = PASSWORD) -> None:
    result = cli(server, "users", "create", email, "--role", role, input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    CREATED.add(email.strip().lower())


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_in(client, email: str, password: str, next: str | None = None, address: str | None = None,
            **kwargs):
    """GET the sign-in form (for its CSRF token), then POST the credentials."""
    extra = {"environ_base": {"REMOTE_ADDR": address}} if address else {}
    form = client.get(SIGNIN, **extra, **kwargs)
    url = SIGNIN + ("?" + urlencode({"next": next}) if next is not None else "")
    if kwargs.get("base_url", "").startswith("https:"):
        # Over HTTPS flask-wtf also checks that the form was sent from this site, as browsers say.
        kwargs["headers"] = {"Referer": kwargs["base_url"] + SIGNIN, **kwargs.get("headers", {})}
    return client.post(url, data={"csrf_token": csrf_of(form.text), "email": email, "password": password},
                       **extra, **kwargs)


def signed_in_client(server, email: str, password: str = PASSWORD):
    client = server.test_client()
    response = sign_in(client, email, password)
    assert response.status_code == 302, response.text
    return client


def token(client) -> str:
    """A CSRF token of the client's session (signing in starts a fresh session)."""
    return csrf_of(client.get(DASHBOARD).text)


def is_signed_in(client) -> bool:
    return client.get(DASHBOARD).status_code == 200


def session_user(client) -> str | None:
    with client.session_transaction() as sess:
        return sess.get("_user_id")


def location(response) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(response.headers["Location"])
    assert parts.netloc in ("", "localhost"), response.headers["Location"]
    return parts.path, parse_qs(parts.query)


def flashed(client, response, role: str) -> str:
    """The sentence shown on the page a redirect leads to (an alert for a refusal, a status otherwise)."""
    return alert_text(client.get(response.headers["Location"]).text, role)


def alert_text(page: str, role: str = "alert") -> str:
    found = re.search(rf'<div class="alert[^"]*" role="{role}"[^>]*>(.*?)</div>', page, re.DOTALL)
    return htmllib.unescape(found.group(1)).strip() if found else ""


def strip_tags(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


class StartTags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for tg, a in self.tags if tg == tag and all(a.get(k) == v for k, v in attrs.items())]


def cookie_attributes(response, name: str = "session") -> set[str] | None:
    """The lower-cased attribute names (and SameSite value) of the `name` cookie set, or None."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            attrs = set()
            for part in header.split(";")[1:]:
                key, _, value = part.strip().partition("=")
                attrs.add(f"{key.lower()}={value.lower()}" if key.lower() == "samesite" else key.lower())
            return attrs
    return None


def db_state(db) -> dict[str, object]:
    """What an editor action could change: served versions, version states, texts, accounts, log."""
    with db.engine.connect() as conn:
        return {
            "served": publishing.served_versions(conn),
            "versions": sorted(conn.execute(select(
                t.dataset_version.c.dataset_slug, t.dataset_version.c.version, t.dataset_version.c.status)).all()),
            "texts": sorted(conn.execute(select(t.text_current)).all()),
            "text_versions": conn.execute(select(func.count()).select_from(t.text_version)).scalar_one(),
            "users": sorted(conn.execute(select(t.app_user.c.email, t.app_user.c.active)).all()),
            "builds": conn.execute(select(func.count()).select_from(t.build)).scalar_one(),
            "audit": conn.execute(select(func.count()).select_from(t.audit_log)).scalar_one(),
        }


def served_version(db, slug: str = SLUG) -> int:
    with db.engine.connect() as conn:
        return publishing.served_versions(conn)[slug]


def version_status(db, version: int, slug: str = SLUG) -> str | None:
    with db.engine.connect() as conn:
        row = publishing.version_row(conn, slug, version)
    return row.status if row else None


def audit_rows(db, since_id: int = 0) -> list:
    with db.engine.connect() as conn:
        return conn.execute(select(t.audit_log).where(t.audit_log.c.id > since_id).order_by(t.audit_log.c.id)).all()


def last_audit_id(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.max(t.audit_log.c.id))).scalar() or 0


# --- the served data, read independently of the app -------------------------------------------

def read_semicolon_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def arras_college(db, insee: str) -> tuple[str, str, str, str]:
    """(UAI, name, school year, IPS as written) of a collège of the commune, from the served files."""
    annuaire, _ = stored_file(db, "colleges-annuaire")
    colleges = {r["numero_uai"]: r["appellation_officielle"].strip() for r in read_semicolon_csv(annuaire)
                if r["code_commune"].zfill(5) == insee}
    ips_file, _ = stored_file(db, SLUG)
    latest: dict[str, dict[str, str]] = {}
    for row in read_semicolon_csv(ips_file):
        if row["UAI"] in colleges and (row["UAI"] not in latest
                                       or int(row["Rentrée scolaire"]) > int(latest[row["UAI"]]["Rentrée scolaire"])):
            latest[row["UAI"]] = row
    assert latest, f"no collège of {insee} has an IPS in the served file"
    uai = min(latest)
    return uai, colleges[uai], latest[uai]["Rentrée scolaire"], latest[uai]["IPS"]


def with_ips(content: bytes, uai: str, year: str, new: str) -> bytes:
    """The file with one cell changed: the IPS of `uai` for `year` (every other byte kept)."""
    bom = content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(";")
    i_uai, i_year, i_ips = header.index("UAI"), header.index("Rentrée scolaire"), header.index("IPS")
    changed = 0
    for n, line in enumerate(lines[1:], start=1):
        body = line.rstrip("\r\n")
        cells = body.split(";")
        if cells[i_uai] == uai and cells[i_year] == year:
            cells[i_ips] = new
            lines[n] = ";".join(cells) + line[len(body):]
            changed += 1
    assert changed == 1
    return (b"\xef\xbb\xbf" if bom else b"") + "".join(lines).encode("utf-8")


def new_ips(old: str) -> float:
    """A different valid IPS (30-200 in the schema), with a decimal so that it reads the same everywhere."""
    value = float(old)
    return round(value + 7.3, 1) if value + 7.3 <= 190 else round(value - 7.3, 1)


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def ips_in_csv(response, name: str) -> float:
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    found = [r for r in body if r[0] == name]
    assert len(found) == 1, f"{name} not once in the CSV"
    return float(found[0][header.index("IPS")])


def ips_in_json(response, name: str) -> float:
    assert response.status_code == 200
    data = response.get_json()
    found = [r for r in data["rows"] if r[0] == name]
    assert len(found) == 1, f"{name} not once in the JSON"
    return float(found[0][data["columns"].index("IPS")])


def chart_section(page: str, slug: str) -> str:
    found = re.search(rf'<section[^>]*\bid="{re.escape(slug)}"[^>]*>(.*?)</section>', page, re.DOTALL)
    assert found, f"no section for {slug}"
    return found.group(1)


def table_cells_of(section: str, name: str) -> list[str]:
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.DOTALL):
        cells = [strip_tags(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        if cells and cells[0] == name:
            return cells
    return []


def fr_decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def widget_stamp(client, slug: str = CHART) -> str:
    widgets = client.get("/embed/index.json").get_json()["widgets"]
    return {w["slug"]: w for w in widgets}[slug]["version"]


def upload(client, content: bytes, name: str, slug: str = SLUG, source_date: str | None = PRODUCER_DATE):
    data = {"csrf_token": token(client), "fichier": (io.BytesIO(content), name), "note": "essai"}
    if source_date is not None:
        data["source_date"] = source_date
    return client.post(f"/editeur/donnees/{slug}/deposer", data=data, content_type="multipart/form-data")


def staged_version_of(response, slug: str = SLUG) -> int:
    assert response.status_code == 302, response.text
    path, _ = location(response)
    found = re.fullmatch(rf"/editeur/donnees/{re.escape(slug)}/(\d+)", path)
    assert found, path
    return int(found.group(1))


def act(client, version: int, action: str, slug: str = SLUG, confirm: bool = True):
    """POST an action's form; a rollback with its explicit confirmation unless `confirm` is False."""
    data = {"csrf_token": token(client)}
    if action == "retablir" and confirm:
        data["confirm"] = "oui"
    return client.post(f"/editeur/donnees/{slug}/{version}/{action}", data=data)


def restore_dataset(db, original: int, *created: int) -> None:
    """Serve `original` again and discard the versions a test left staged."""
    if served_version(db) != original:
        serve_again(db, SLUG, original)
    for v in created:
        if version_status(db, v) == "staged":
            publishing.discard(db, SLUG, v, "test")


def text_snapshot(db, key: str, lang: str) -> tuple[int | None, int]:
    with db.engine.connect() as conn:
        current = conn.execute(select(t.text_current.c.version).where(
            t.text_current.c.key == key, t.text_current.c.lang == lang)).scalar()
        top = conn.execute(select(func.max(t.text_version.c.version)).where(
            t.text_version.c.key == key, t.text_version.c.lang == lang)).scalar() or 0
    return current, top


def restore_text(db, key: str, lang: str, snapshot: tuple[int | None, int]) -> None:
    current, top = snapshot
    with db.begin() as conn:
        where = (t.text_current.c.key == key) & (t.text_current.c.lang == lang)
        if current is None:
            conn.execute(delete(t.text_current).where(where))
        else:
            conn.execute(update(t.text_current).where(where).values(version=current))
        conn.execute(delete(t.text_version).where(
            t.text_version.c.key == key, t.text_version.c.lang == lang, t.text_version.c.version > top))


def publish_text(client, key: str, body: str, lang: str = "fr", action: str = "publish"):
    return client.post(f"/editeur/textes/{key}/{lang}",
                       data={"csrf_token": token(client), "body": body, "action": action, "note": "essai"})


# --- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def editor_account(server) -> str:
    create_account(server, EDITOR, "editor")
    return EDITOR


@pytest.fixture(scope="module")
def admin_account(server) -> str:
    create_account(server, ADMIN, "admin")
    return ADMIN


@pytest.fixture(scope="module")
def editor(server, editor_account):
    """A client of the session app signed in as an editor."""
    return signed_in_client(server, editor_account)


@pytest.fixture(scope="module")
def app_ttl0(app, settings):
    """A second app on the same database whose fast path re-reads the data versions at each request."""
    with second_app(app, settings, widget_version_ttl=0) as second:
        yield second


@pytest.fixture(scope="module")
def public(app_ttl0):
    """An anonymous reader of the second app (no fast-path delay: its answers follow a publish at once)."""
    return app_ttl0.server.test_client()


@pytest.fixture(scope="module")
def app_max3(app, settings):
    with second_app(app, settings, signin_max_failures=3) as second:
        yield second


@pytest.fixture()
def staged(db):
    """A staged (unpublished) version of the dataset, discarded afterwards."""
    content, name = stored_file(db, SLUG)
    version = publishing.stage(db, SLUG, content, name, "test").version
    yield version
    if version_status(db, version) == "staged":
        publishing.discard(db, SLUG, version, "test")


# --- every rule of the workspace is behind a signed-in editor -------------------------------------

def editor_rules(server) -> list:
    rules = [r for r in server.url_map.iter_rules() if r.rule.startswith("/editeur")]
    assert any(r.endpoint == "editor.signin" for r in rules)
    return rules


def sample_url(rule, dataset_version: int, text_version: int = 1) -> str:
    """The rule with sample values for its converters (a real dataset, version, text and language)."""
    values: dict[str, object] = {}
    for arg in rule.arguments:
        if arg == "slug":
            values[arg] = SLUG
        elif arg == "key":
            values[arg] = "ecoles.lead"
        elif arg == "text_lang":
            values[arg] = "fr"
        elif arg == "version":
            values[arg] = text_version if "/textes/" in rule.rule else dataset_version
        else:
            pytest.fail(f"no sample value for <{arg}> of {rule.rule}: add one to sample_url")
    built = rule.build(values, append_unknown=False)
    assert built is not None, rule.rule
    return built[1]


def post_form(email: str = EDITOR) -> dict[str, object]:
    """A form that would run any of the workspace's actions, but without a CSRF token."""
    return {"email": email, "password": PASSWORD, "body": "**anonyme**", "action": "publish", "note": "x",
            "fichier": (io.BytesIO(b"Rentr\xc3\xa9e scolaire;UAI;IPS\n2023;0620025R;90.0\n"), "x.csv")}


def test_anonymous_requests_to_every_rule_redirect_to_sign_in(server, db, editor_account, staged):
    rules = editor_rules(server)
    before = db_state(db)
    problems = []
    client = server.test_client()
    for rule in rules:
        url = sample_url(rule, staged)
        for method in ("GET", "POST"):
            kwargs = {"data": post_form(), "content_type": "multipart/form-data"} if method == "POST" else {}
            r = client.open(url, method=method, **kwargs)
            if r.status_code == 200 and not (rule.endpoint == "editor.signin" and method == "GET"):
                problems.append(f"{method} {url}: 200")
            if method not in rule.methods:
                continue
            if rule.endpoint == "editor.signin":
                if method == "GET" and r.status_code != 200:
                    problems.append(f"GET {url}: {r.status_code}, the sign-in form must be public")
                continue
            if r.status_code != 302 or location(r)[0] != SIGNIN:
                problems.append(f"{method} {url}: {r.status_code} {r.headers.get('Location')}")
            elif method == "GET" and not location(r)[1].get("next", [""])[0].startswith(url):
                problems.append(f"GET {url}: next={location(r)[1].get('next')}")
    assert problems == []
    assert session_user(client) is None  # the sign-in POST without a CSRF token did not sign in
    assert db_state(db) == before, "an anonymous request changed the store"


def test_signed_in_post_without_csrf_token_is_refused_on_every_rule(server, db, editor_account, staged):
    client = signed_in_client(server, editor_account)
    before = db_state(db)
    statuses = {}
    for rule in editor_rules(server):
        if "POST" not in rule.methods:
            continue
        url = sample_url(rule, staged)
        r = client.post(url, data=post_form(), content_type="multipart/form-data")
        statuses[url] = r.status_code
        if r.status_code == 400:
            assert parse_page(r.text).lang == "fr"
            assert alert_text(r.text, "status"), f"no message on {url}"
    assert statuses and all(s == 400 for s in statuses.values()), statuses
    assert is_signed_in(client), "signing out without a CSRF token must not sign out"
    assert db_state(db) == before


def test_editor_pages_are_never_cached_nor_framed(server, editor, admin_account, db):
    admin = signed_in_client(server, admin_account)
    pages = {"anonymous sign-in": (server.test_client().get(SIGNIN), 200),
             "anonymous redirect": (server.test_client().get(DASHBOARD), 302)}
    for rule in editor_rules(server):
        if "GET" in rule.methods and rule.endpoint != "editor.signin":
            url = sample_url(rule, served_version(db))
            admins_only = rule.endpoint == "editor.audit_log"
            pages[f"{url} (editor)"] = (editor.get(url), 403 if admins_only else 200)
            pages[f"{url} (admin)"] = (admin.get(url), 200)
    for name, (r, status) in pages.items():
        assert r.status_code == status, f"{name}: {r.status_code}"
        assert r.headers.get("Cache-Control") == "no-store", name
        assert r.headers.get("Content-Security-Policy") == "frame-ancestors 'none'", name
        assert r.headers.get("X-Frame-Options") == "DENY", name


# --- accounts (the `users` command) ------------------------------------------------------------

def account(db, email: str):
    with db.engine.connect() as conn:
        return conn.execute(select(t.app_user).where(t.app_user.c.email == email)).first()


def test_no_account_exists_after_seeding(tmp_path):
    from tests.conftest import reset_database
    from webapp.data.db import Database

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    reset_database(url)
    fresh = Database(url)
    try:
        assert fresh.scalar("SELECT COUNT(*) FROM app_user") == 0
    finally:
        fresh.dispose()


def test_users_create_prompts_twice_and_stores_an_argon2id_hash(server, db):
    email, password = "Nouvelle.Editrice@Test.invalid", "exactement12"  # the shortest password allowed
    assert len(password) == 12
    result = cli(server, "users", "create", email, "--role", "editor", input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    CREATED.add(email.lower())
    prompts = [line for line in result.output.splitlines() if line.rstrip().endswith(":")]
    assert len(prompts) == 2, result.output  # asked, then asked again to confirm
    assert password not in result.output  # hidden input
    row = account(db, email.lower())
    assert row is not None and row.role == "editor" and row.active
    assert row.password_hash.startswith("$argon2id$")
    assert password not in row.password_hash
    assert signed_in_client(server, email.lower(), password)
    # Typed once only: no account.
    once = cli(server, "users", "create", "une-fois@test.invalid", "--role", "editor", input=f"{PASSWORD}\n")
    assert once.exit_code != 0 and account(db, "une-fois@test.invalid") is None


@pytest.mark.parametrize("case", ["short", "duplicate", "duplicate-case", "role", "mismatch"])
def test_users_create_refuses_bad_input(server, db, editor_account, case):
    email, role, typed = f"refus-{case}@test.invalid", "editor", f"{PASSWORD}\n{PASSWORD}\n"
    if case == "short":
        typed = "onze-signes\nonze-signes\n"  # 11 characters
    elif case == "duplicate":
        email = editor_account
    elif case == "duplicate-case":
        email = "  " + editor_account.upper()
    elif case == "role":
        role = "superuser"
    elif case == "mismatch":
        typed = f"{PASSWORD}\n{PASSWORD}!\n"
    before = db_state(db)["users"]
    result = cli(server, "users", "create", email, "--role", role, input=typed)
    assert result.exit_code != 0, result.output
    assert db_state(db)["users"] == before
    if case == "short":
        assert "12" in result.output
    if case == "role":
        assert "editor" in result.output and "admin" in result.output


def test_users_list_shows_accounts_with_role_and_state(server, editor_account, admin_account):
    result = cli(server, "users", "list")
    assert result.exit_code == 0, result.output
    lines = {tuple(line.split("\t")) for line in result.output.splitlines()}
    assert (editor_account, "editor", "active") in lines
    assert (admin_account, "admin", "active") in lines
    assert not any(PASSWORD in line or "$argon2" in line for line in result.output.splitlines())


def test_users_disable_stops_sign_in_and_ends_open_sessions(server, db):
    email = "partante@test.invalid"
    create_account(server, email)
    client = signed_in_client(server, email)
    assert is_signed_in(client)
    result = cli(server, "users", "disable", email)
    assert result.exit_code == 0, result.output
    r = client.get(DASHBOARD)
    assert r.status_code == 302 and location(r)[0] == SIGNIN
    assert sign_in(server.test_client(), email, PASSWORD, address="10.9.0.1").status_code == 401
    listed = {tuple(line.split("\t")) for line in cli(server, "users", "list").output.splitlines()}
    assert (email, "editor", "disabled") in listed
    assert cli(server, "users", "disable", "personne@test.invalid").exit_code != 0
    assert cli(server, "users", "enable", email).exit_code == 0
    assert sign_in(server.test_client(), email, PASSWORD).status_code == 302


def test_only_accounts_created_here_exist_and_no_default_password_signs_in(server, db, editor_account,
                                                                           admin_account):
    with db.engine.connect() as conn:
        emails = set(conn.execute(select(t.app_user.c.email)).scalars())
    # Every account of the session database was made by a test, all under the reserved `.invalid` domain.
    assert CREATED <= emails and all(e.endswith(".invalid") for e in emails), f"unexpected accounts: {emails}"
    defaults = ["admin", "password", "changeme", "admin123", "arras"]
    names = ["admin", "admin@localhost", "admin@example.com", "admin@arras.fr", "root"]
    for n, name in enumerate(names):
        for password in defaults:
            r = sign_in(server.test_client(), name, password, address=f"10.8.0.{n + 1}")
            assert r.status_code == 401, (name, password, r.status_code)
    for n, email in enumerate(sorted(emails)):
        r = sign_in(server.test_client(), email, "admin", address=f"10.8.1.{n + 1}")
        assert r.status_code == 401, email


# --- signing in ----------------------------------------------------------------------------------

def test_wrong_password_is_refused_in_french_and_leaves_no_session(server, db):
    email = "mauvais-mot@test.invalid"
    create_account(server, email)
    since = last_audit_id(db)
    client = server.test_client()
    r = sign_in(client, email, PASSWORD + "?", address="10.7.0.1")
    assert r.status_code == 401
    page = parse_page(r.text)
    assert page.lang == "fr"
    wrong = alert_text(r.text)
    assert wrong and wrong != alert_text(sign_in(server.test_client(), email, PASSWORD + "?", address="10.7.0.1",
                                                 query_string={"lang": "en"}).text)
    assert session_user(client) is None
    assert client.get(DASHBOARD).status_code == 302
    # An unknown address gets the same answer: the form does not say which accounts exist.
    unknown = sign_in(server.test_client(), "inconnu@test.invalid", PASSWORD, address="10.7.0.1")
    assert unknown.status_code == 401 and alert_text(unknown.text) == wrong
    assert not any(row.action == "signin" for row in audit_rows(db, since))


def test_failed_sign_ins_are_in_the_audit_log(server, db):
    email, address = "echec-journal@test.invalid", "10.7.0.2"
    create_account(server, email)
    since = last_audit_id(db)
    assert sign_in(server.test_client(), email, PASSWORD + "?", address=address).status_code == 401
    assert sign_in(server.test_client(), "absent@test.invalid", PASSWORD, address=address).status_code == 401
    rows = [(row.actor, row.action, row.address) for row in audit_rows(db, since)]
    assert (email, "signin_failed", address) in rows
    assert ("absent@test.invalid", "signin_failed", address) in rows


def test_good_password_signs_in_and_redirects_to_the_dashboard(server, db, editor_account):
    since = last_audit_id(db)
    client = server.test_client()
    r = sign_in(client, "  " + editor_account.upper() + " ", PASSWORD)  # the address is normalised
    assert r.status_code == 302 and location(r)[0] == DASHBOARD
    assert session_user(client) is not None
    page = client.get(DASHBOARD)
    assert page.status_code == 200 and editor_account in page.text
    assert any(row.actor == editor_account and row.action == "signin" for row in audit_rows(db, since))


@pytest.mark.parametrize("target, followed", [
    ("/editeur/journal", True),
    ("/editeur/donnees/colleges-ips?lang=en", True),
    ("https://evil.example/", False),
    ("//evil.example", False),
    ("https://evil.example/editeur/", False),
    ("//evil.example/editeur/", False),
    ("/ecoles", False),
    ("javascript:alert(1)", False),
])
def test_next_is_only_followed_to_a_local_editor_path(server, editor_account, target, followed):
    r = sign_in(server.test_client(), editor_account, PASSWORD, next=target)
    assert r.status_code == 302
    parts = urlsplit(r.headers["Location"])
    assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost"), r.headers["Location"]
    if followed:
        assert r.headers["Location"] == target
    else:
        assert parts.path == DASHBOARD


def test_too_many_failures_lock_one_account_not_another(server, db, app_max3):
    target, other = "verrou-compte@test.invalid", "voisin-compte@test.invalid"
    create_account(server, target)
    create_account(server, other)
    limit = app_max3.server.extensions["arras_settings"].signin_max_failures
    assert limit == 3
    since = last_audit_id(db)
    address = "10.0.1.1"
    client = app_max3.server.test_client()
    for _ in range(limit):
        assert sign_in(client, target, "pas le bon mot de passe", address=address).status_code == 401
    refused = sign_in(client, target, PASSWORD, address=address)
    assert refused.status_code == 429
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    assert parse_page(refused.text).lang == "fr" and f"{minutes} minutes" in alert_text(refused.text)
    assert session_user(client) is None
    # Another account signs in, from the same address.
    assert sign_in(app_max3.server.test_client(), other, PASSWORD, address=address).status_code == 302
    rows = [(r.actor, r.action, r.address) for r in audit_rows(db, since)]
    assert rows.count((target, "signin_failed", address)) == limit
    assert (target, "signin_throttled", address) in rows
    assert (other, "signin", address) in rows


def test_too_many_failures_from_one_address_lock_that_address_only(server, db, app_max3):
    email = "bureau-partage@test.invalid"
    create_account(server, email)
    limit = app_max3.server.extensions["arras_settings"].signin_max_failures
    blocked, elsewhere = "10.0.0.9", "10.0.0.10"
    since = last_audit_id(db)
    a = app_max3.server.test_client()
    for i in range(limit * ADDRESS_FACTOR - 1):  # different accounts, each under its own limit
        assert sign_in(a, f"collegue-{i}@test.invalid", "pas le bon", address=blocked).status_code == 401
    ok = app_max3.server.test_client()
    assert sign_in(ok, email, PASSWORD, address=blocked).status_code == 302  # just under the limit
    assert sign_in(a, "collegue-derniere@test.invalid", "pas le bon", address=blocked).status_code == 401
    refused = app_max3.server.test_client()
    r = sign_in(refused, email, PASSWORD, address=blocked)
    assert r.status_code == 429 and session_user(refused) is None
    assert sign_in(app_max3.server.test_client(), email, PASSWORD, address=elsewhere).status_code == 302
    rows = [(r.actor, r.action, r.address) for r in audit_rows(db, since)]
    assert sum(1 for _, action, addr in rows if action == "signin_failed" and addr == blocked) == limit * ADDRESS_FACTOR
    assert (email, "signin_throttled", blocked) in rows
    assert (email, "signin", elsewhere) in rows


def test_sign_out_ends_the_session(server, editor_account):
    client = signed_in_client(server, editor_account)
    r = client.post("/editeur/deconnexion", data={"csrf_token": token(client)})
    assert r.status_code == 302 and location(r)[0] == SIGNIN
    assert session_user(client) is None and not is_signed_in(client)


# --- cookies -------------------------------------------------------------------------------------

def test_session_cookie_is_httponly_lax_and_secure_over_https(server, editor_account):
    http = server.test_client().get(SIGNIN)
    attrs = cookie_attributes(http)
    assert attrs is not None, "the sign-in form sets a session (its CSRF token)"
    assert {"httponly", "samesite=lax"} <= attrs and "secure" not in attrs
    https_client = server.test_client()
    https = https_client.get(SIGNIN, base_url="https://localhost")
    assert {"httponly", "samesite=lax", "secure"} <= cookie_attributes(https)
    signed = sign_in(https_client, editor_account, PASSWORD, base_url="https://localhost")
    assert signed.status_code == 302
    assert {"httponly", "samesite=lax", "secure"} <= cookie_attributes(signed)
    plain = sign_in(server.test_client(), editor_account, PASSWORD)
    assert "secure" not in cookie_attributes(plain) and {"httponly", "samesite=lax"} <= cookie_attributes(plain)


def test_forwarded_proto_is_trusted_only_behind_a_declared_proxy(app, settings):
    forwarded = {"X-Forwarded-Proto": "https"}
    with second_app(app, settings, trusted_proxies=1) as proxied:
        behind = proxied.server.test_client().get(SIGNIN, headers=forwarded)
        assert "secure" in cookie_attributes(behind)
        assert "secure" not in cookie_attributes(proxied.server.test_client().get(SIGNIN))
    direct = app.server.test_client().get(SIGNIN, headers=forwarded)
    assert "secure" not in cookie_attributes(direct)


# --- upload size ---------------------------------------------------------------------------------

def test_upload_over_the_limit_gets_413_with_the_limit_in_french(app, settings, db, editor_account):
    mb = 1
    with second_app(app, settings, upload_max_mb=mb) as small:
        client = signed_in_client(small.server, editor_account)
        before = db_state(db)["versions"]
        content = b"x" * (2 * 1024 * 1024)
        r = client.post(f"/editeur/donnees/{SLUG}/deposer",
                        data={"csrf_token": token(client), "fichier": (io.BytesIO(content), "gros.csv")},
                        content_type="multipart/form-data")
        assert r.status_code == 413
        assert parse_page(r.text).lang == "fr"
        assert f"{mb} Mo" in alert_text(r.text, "status")
        assert db_state(db)["versions"] == before


# --- the dataset path: upload, preview, publish, roll back ----------------------------------------

def test_upload_preview_publish_and_roll_back(server, db, editor, public, settings):
    uai, name, year, old = arras_college(db, settings.city_insee)
    new = new_ips(old)
    content, file_name = stored_file(db, SLUG)
    original = served_version(db)
    csv_before = public.get(CSV_URL).data
    assert ips_in_csv(public.get(CSV_URL), name) == float(old)
    stamp_before = widget_stamp(public)
    created: list[int] = []
    try:
        r = upload(editor, with_ips(content, uai, year, f"{new:.1f}"), file_name)
        version = staged_version_of(r)
        created.append(version)
        assert version_status(db, version) == "staged"

        # The preview: what changes, with the example, and the charts drawn with this version.
        preview = editor.get(r.headers["Location"])
        assert preview.status_code == 200

        listed = re.search(r'<ul id="changes">(.*?)</ul>', preview.text, re.DOTALL)[1]
        changes = {label.strip(): int(n) for n, label in re.findall(r"<li><strong>(\d+)</strong>([^<]+)</li>", listed)}
        assert changes == {"ligne modifiée": 1, "ligne ajoutée": 0, "ligne supprimée": 0}  # 0 and 1: singular in French
        example = [strip_tags(li) for li in re.findall(r"<li>(.*?)</li>", preview.text, re.DOTALL) if f"UAI = {uai}" in li]
        assert len(example) == 1 and "IPS" in example[0]
        numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", example[0].split(":", 1)[1])]
        assert float(old) in numbers and new in numbers and numbers.index(float(old)) < numbers.index(new)

        frames = [htmllib.unescape(src) for src in re.findall(r'<iframe[^>]*\ssrc="([^"]+)"', preview.text)]
        depending = {c.slug for c in REGISTRY.values() if SLUG in c.depends}
        assert {urlsplit(src).path.removeprefix("/embed/") for src in frames} == depending
        anonymous = server.test_client()
        for src in frames:
            assert parse_qs(urlsplit(src).query)["apercu"] == [f"{SLUG}~{version}"]
            seen = editor.get(src)
            assert seen.status_code == 200, src
            assert seen.headers["Cache-Control"] == "private, no-store", src
            assert anonymous.get(src).status_code == 404, src
            assert public.get(src).status_code == 404, src
        preview_csv = editor.get(f"{CSV_URL}?apercu={SLUG}~{version}")
        assert preview_csv.headers["Cache-Control"] == "private, no-store"
        assert ips_in_csv(preview_csv, name) == new
        assert anonymous.get(f"{CSV_URL}?apercu={SLUG}~{version}").status_code == 404

        # Nothing public changes before the publish.
        assert public.get(CSV_URL).data == csv_before
        assert served_version(db) == original

        published = act(editor, version, "publier")
        assert published.status_code == 302
        assert location(published)[0] == f"/editeur/donnees/{SLUG}"
        assert served_version(db) == version
        assert ips_in_csv(public.get(CSV_URL), name) == new
        assert ips_in_json(public.get(JSON_URL), name) == new
        assert public.get(JSON_URL).get_json()["datasets"][SLUG] == version
        assert widget_stamp(public) != stamp_before

        # A widget pinned to the version before keeps showing the data it showed.
        pinned = public.get(f"{CSV_URL}?v={stamp_before}")
        assert csv_rows(pinned)[1:] == list(csv.reader(io.StringIO(csv_before.decode("utf-8-sig"))))[1:]
        assert ips_in_csv(pinned, name) == float(old)
        assert public.get(f"/embed/{CHART}?v={stamp_before}").status_code == 200

        # Publishing it again is refused with a sentence, not an error page.
        again = act(editor, version, "publier")
        assert again.status_code == 302
        path, query = location(again)
        assert path == f"/editeur/donnees/{SLUG}" and "message" not in query  # said on the page, not in the URL
        message = flashed(editor, again, "alert")
        assert str(version) in message and SLUG in message
        assert served_version(db) == version

        back = act(editor, original, "retablir")
        assert back.status_code == 302 and location(back)[0] == f"/editeur/donnees/{SLUG}"
        assert served_version(db) == original
        assert public.get(CSV_URL).data == csv_before
        assert widget_stamp(public) == stamp_before
    finally:
        restore_dataset(db, original, *created)
    assert public.get(CSV_URL).data == csv_before


def test_an_invalid_file_is_reported_and_nothing_is_staged(db, editor):
    before = db_state(db)["versions"]
    bad = "Rentrée scolaire;UAI;IPS\n2023;pas-un-uai;900\n".encode()
    r = upload(editor, bad, "faux.csv")
    assert r.status_code == 422
    report = re.search(r'<section[^>]*id="report"[^>]*>(.*?)</section>', r.text, re.DOTALL)
    assert report and "faux.csv" in strip_tags(report.group(1))
    assert "pas-un-uai" in strip_tags(report.group(1)) and "900" in strip_tags(report.group(1))
    assert db_state(db)["versions"] == before
    empty = editor.post(f"/editeur/donnees/{SLUG}/deposer", data={"csrf_token": token(editor)},
                        content_type="multipart/form-data")
    assert empty.status_code == 400 and db_state(db)["versions"] == before


def test_unknown_datasets_versions_and_texts_are_404_not_500(db, editor):
    assert editor.get("/editeur/donnees/inconnu").status_code == 404
    assert editor.get(f"/editeur/donnees/{SLUG}/99999").status_code == 404
    assert editor.get("/editeur/textes/inconnu.lead/fr").status_code == 404
    assert editor.get("/editeur/textes/ecoles.lead/de").status_code == 404
    before = db_state(db)
    r = act(editor, 99999, "publier")
    assert r.status_code == 302 and "99999" in flashed(editor, r, "alert")
    assert db_state(db)["served"] == before["served"]


def test_restoring_a_text_version_that_does_not_exist_says_so(db, editor):
    key, lang = "ecoles.lead", "fr"
    _, top = text_snapshot(db, key, lang)
    missing = top + 1000
    r = editor.post(f"/editeur/textes/{key}/{lang}/{missing}/retablir", data={"csrf_token": token(editor)})
    assert text_snapshot(db, key, lang)[1] == top
    # Nothing was restored: the answer must not report a success.
    assert r.status_code == 404
    page = editor.get(f"/editeur/textes/{key}/{lang}")
    assert "Version rétablie." not in page.text


def build_ids_with(db, version: int) -> list[int]:
    with db.engine.connect() as conn:
        return [r.id for r in conn.execute(select(t.build.c.id, t.build.c.versions))
                if f"{SLUG}={version}" in r.versions.split(",")]


def test_discarding_a_staged_version_removes_its_builds(server, db, editor, settings):
    uai, _, year, old = arras_college(db, settings.city_insee)
    content, file_name = stored_file(db, SLUG)
    original = served_version(db)
    version = staged_version_of(upload(editor, with_ips(content, uai, year, f"{new_ips(old):.1f}"), file_name))
    try:
        builds = build_ids_with(db, version)
        assert builds, "a staged version is built for its preview"
        never = act(editor, version, "retablir")  # never published: nothing to restore
        assert never.status_code == 302 and flashed(editor, never, "alert")
        assert version_status(db, version) == "staged" and served_version(db) == original
        with db.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(schools_tables.school)
                                .where(schools_tables.school.c.build_id.in_(builds))).scalar_one() > 0
        r = act(editor, version, "abandonner")
        assert r.status_code == 302 and location(r)[0] == f"/editeur/donnees/{SLUG}"
        assert version_status(db, version) == "discarded"
        assert build_ids_with(db, version) == []
        with db.engine.connect() as conn:
            for table in publishing.groups_of(SLUG)[0].tables:
                left = conn.execute(select(func.count()).select_from(table)
                                    .where(table.c.build_id.in_(builds))).scalar_one()
                assert left == 0, table.name
            assert conn.execute(select(func.count()).select_from(t.dataset_file).where(
                t.dataset_file.c.dataset_slug == SLUG, t.dataset_file.c.version == version)).scalar_one() == 0
        assert editor.get(f"/embed/{CHART}?apercu={SLUG}~{version}").status_code == 404
        # Neither publishable, restorable nor discardable again, and said so.
        for action in ("publier", "retablir", "abandonner"):
            again = act(editor, version, action)
            assert again.status_code == 302 and flashed(editor, again, "alert")
        assert served_version(db) == original
    finally:
        restore_dataset(db, original, version)


# --- cache coherence between two app instances ------------------------------------------------------

def test_a_publish_through_one_app_is_served_by_the_other_at_once(app, server, db, editor, app_ttl0,
                                                                   settings):
    uai, name, year, old = arras_college(db, settings.city_insee)
    new = new_ips(old)
    content, file_name = stored_file(db, SLUG)
    original = served_version(db)
    a, b = server.test_client(), app_ttl0.server.test_client()
    ttl = settings.widget_version_ttl
    for client in (a, b):  # warm caches: the query cache, the widget fast path
        for _ in range(2):
            assert ips_in_csv(client.get(CSV_URL), name) == float(old)
            assert ips_in_json(client.get(JSON_URL), name) == float(old)
            assert fr_decimal(float(old)) in table_cells_of(chart_section(client.get("/ecoles").text, CHART), name)
    version = staged_version_of(upload(editor, with_ips(content, uai, year, f"{new:.1f}"), file_name))
    try:
        assert act(editor, version, "publier").status_code == 302  # through the session app
        published_at = time.monotonic()
        # The other app: its very next requests.
        assert ips_in_csv(b.get(CSV_URL), name) == new
        assert ips_in_json(b.get(JSON_URL), name) == new
        assert fr_decimal(new) in table_cells_of(chart_section(b.get("/ecoles").text, CHART), name)
        # The publishing app itself: pages at once, widgets within its fast path's ttl.
        assert fr_decimal(new) in table_cells_of(chart_section(a.get("/ecoles").text, CHART), name)
        seen = None
        while seen != new and time.monotonic() - published_at <= ttl + 0.25:
            seen = ips_in_csv(a.get(CSV_URL), name)
            if seen != new:
                time.sleep(0.05)
        assert seen == new, f"the widget still served the old data {time.monotonic() - published_at:.2f} s after"

        # And back, through the other app: the session app follows.
        other_editor = signed_in_client(app_ttl0.server, EDITOR)
        assert act(other_editor, original, "retablir").status_code == 302
        rolled_at = time.monotonic()
        assert served_version(db) == original
        assert fr_decimal(float(old)) in table_cells_of(chart_section(a.get("/ecoles").text, CHART), name)
        assert ips_in_csv(b.get(CSV_URL), name) == float(old)
        seen = None
        while seen != float(old) and time.monotonic() - rolled_at <= ttl + 0.25:
            seen = ips_in_csv(a.get(CSV_URL), name)
            if seen != float(old):
                time.sleep(0.05)
        assert seen == float(old)
    finally:
        restore_dataset(db, original, version)


# --- story texts ------------------------------------------------------------------------------------

def lead_of(page: str) -> str:
    found = re.search(r'<div class="lead">(.*?)</div>', page, re.DOTALL)
    assert found, "no lead on the page"
    return found.group(1)


def assert_inert(page: str) -> None:
    """The hostile Markdown shows as text: no script, no image with a handler, no javascript: link."""
    lowered = page.lower()
    assert "<script>alert(1)" not in lowered
    assert "<img src=x" not in lowered and "onerror=alert" not in re.sub(r"&lt;img[^<]*", "", lowered)
    assert not any(a["href"].strip().lower().startswith("javascript:") for a in parse_page(page).links)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_story_text_preview_publish_escape_and_roll_back(server, db, editor, app_ttl0):
    key, lang = "ecoles.lead", "fr"
    snapshot = text_snapshot(db, key, lang)
    reader = server.test_client()
    lead_before = lead_of(reader.get("/ecoles").text)
    first = ("Première version de l'essai : **gras** <script>alert(1)</script> "
             "<img src=x onerror=alert(1)> [x](javascript:alert(1))")
    second = "Seconde version de l'essai, sans *marque* dangereuse."
    try:
        form = editor.get(f"/editeur/textes/{key}/{lang}")
        assert form.status_code == 200

        preview = publish_text(editor, key, first, action="preview")
        assert preview.status_code == 200
        shown = re.search(r'<div id="text-preview">(.*?)</div>', preview.text, re.DOTALL).group(1)
        assert "<strong>gras</strong>" in shown
        assert_inert(preview.text)
        assert text_snapshot(db, key, lang) == snapshot, "a preview publishes nothing"
        assert lead_of(reader.get("/ecoles").text) == lead_before

        r = publish_text(editor, key, first)
        assert r.status_code == 302 and location(r)[0] == f"/editeur/textes/{key}/{lang}"
        page = reader.get("/ecoles").text
        lead = lead_of(page)
        assert "Première version de l&#39;essai" in lead or "Première version de l'essai" in lead
        assert "<strong>gras</strong>" in lead
        assert_inert(page)
        assert strip_tags(lead).startswith(strip_tags(texts_render_free(first)))

        assert publish_text(editor, key, second).status_code == 302
        assert "Seconde version" in strip_tags(lead_of(reader.get("/ecoles").text))
        assert "<em>marque</em>" in lead_of(reader.get("/ecoles").text)

        with db.engine.connect() as conn:
            first_version = conn.execute(select(t.text_version.c.version).where(
                t.text_version.c.key == key, t.text_version.c.lang == lang,
                t.text_version.c.body == first)).scalar_one()
        back = editor.post(f"/editeur/textes/{key}/{lang}/{first_version}/retablir",
                           data={"csrf_token": token(editor)})
        assert back.status_code == 302
        restored = lead_of(reader.get("/ecoles").text)
        assert "Première version" in strip_tags(restored) and "Seconde version" not in strip_tags(restored)
        assert_inert(reader.get("/ecoles").text)
    finally:
        restore_text(db, key, lang, snapshot)
    assert lead_of(reader.get("/ecoles").text) == lead_before


def texts_render_free(body: str) -> str:
    """The first words of a Markdown body before any mark, as a reader sees them."""
    return body.split("**", 1)[0].strip()


def test_caption_and_alt_of_a_chart_are_editable(server, db, editor, public):
    caption_key, alt_key, lang = f"{CHART}.caption", f"{CHART}.alt", "fr"
    snapshots = {k: text_snapshot(db, k, lang) for k in (caption_key, alt_key)}
    caption = "Note d'essai **importante** sous le graphique."
    alt = "Barres de l'**IPS** de chaque établissement"
    alt_plain = alt.replace("**", "")
    reader = server.test_client()
    try:
        assert publish_text(editor, caption_key, caption).status_code == 302
        assert publish_text(editor, alt_key, alt).status_code == 302

        section = chart_section(reader.get("/ecoles").text, CHART)
        note = re.search(r'<p class="chart-note[^"]*">(.*?)</p>', section, re.DOTALL)
        assert note and "<strong>importante</strong>" in note.group(1)
        assert strip_tags(note.group(1)) == caption.replace("**", "")
        figures = StartTags(section).find("figure")
        assert [f.get("aria-label") for f in figures] == [alt_plain]

        widget = public.get(f"/embed/{CHART}")
        assert widget.status_code == 200
        w_note = re.search(r'<p class="w-note">(.*?)</p>', widget.text, re.DOTALL)
        assert w_note and "<strong>importante</strong>" in w_note.group(1)
        assert strip_tags(w_note.group(1)) == caption.replace("**", "")
        images = StartTags(widget.text).find("img", id="w-static")
        assert [i["alt"] for i in images] == [alt_plain]
        noscript = re.search(r"<noscript>(.*?)</noscript>", widget.text, re.DOTALL).group(1)
        assert [i["alt"] for i in StartTags(noscript).find("img")] == [alt_plain]
    finally:
        for k, snap in snapshots.items():
            restore_text(db, k, lang, snap)
    widget = public.get(f"/embed/{CHART}")
    assert "importante" not in widget.text
    assert [i["alt"] for i in StartTags(widget.text).find("img", id="w-static")] == [REGISTRY[CHART].title["fr"]]


# --- the audit log -------------------------------------------------------------------------------------

def test_audit_log_is_for_admins_and_lists_sign_ins_publishes_and_rollbacks(server, db, editor_account,
                                                                            admin_account):
    client = signed_in_client(server, editor_account)
    forbidden = client.get("/editeur/journal")
    assert forbidden.status_code == 403 and parse_page(forbidden.text).lang == "fr"
    assert "<table" not in forbidden.text

    original = served_version(db)
    content, file_name = stored_file(db, SLUG)
    version = staged_version_of(upload(client, content, file_name))
    try:
        assert act(client, version, "publier").status_code == 302
        assert act(client, original, "retablir").status_code == 302
        assert served_version(db) == original
        admin = signed_in_client(server, admin_account)
        journal = admin.get("/editeur/journal")
        assert journal.status_code == 200

        head, body = journal.text.split("<tbody>", 1)
        columns = [strip_tags(th) for th in re.findall(r"<th[^>]*>(.*?)</th>", head, re.DOTALL)]
        who, what, on = (columns.index(label) for label in ("Qui", "Action", "Objet"))
        rows = []
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL):
            cells = [strip_tags(c) for c in re.findall(r"<td>(.*?)</td>", tr, re.DOTALL)]
            rows.append((cells[who], cells[what], cells[on]))
        assert (editor_account, "signin", "") in rows
        assert (admin_account, "signin", "") in rows
        assert (editor_account, "publish", f"{SLUG} v{version}") in rows
        assert (editor_account, "rollback", f"{SLUG} v{original}") in rows
        assert (editor_account, "stage", f"{SLUG} v{version}") in rows
    finally:
        restore_dataset(db, original, version)


def test_development_secret_is_shared_by_workers_starting_together(tmp_path):
    """Without SECRET_KEY, workers starting at once agree on one whole key (sessions work in each)."""
    from concurrent.futures import ProcessPoolExecutor

    from webapp.auth import secret_key

    with ProcessPoolExecutor(4) as pool:
        keys = set(pool.map(secret_key, [str(tmp_path)] * 16))
    assert len(keys) == 1
    (key,) = keys
    assert len(key) == 64 and int(key, 16) >= 0
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_every_kept_version_file_downloads_byte_for_byte(server, editor, db):
    content, name = stored_file(db, SLUG)
    version = served_version(db)
    r = editor.get(f"/editeur/donnees/{SLUG}/{version}/fichier")
    assert r.status_code == 200 and r.data == content
    assert name in r.headers["Content-Disposition"]
    anonymous = server.test_client().get(f"/editeur/donnees/{SLUG}/{version}/fichier")
    assert anonymous.status_code == 302 and location(anonymous)[0] == "/editeur/connexion"
    assert editor.get(f"/editeur/donnees/{SLUG}/999999/fichier").status_code == 404


def test_the_producers_date_given_at_upload_dates_the_published_version(editor, db):
    original = served_version(db)
    content, name = stored_file(db, SLUG)
    before = db_state(db)
    bad = upload(editor, content, name, source_date="15/09/2024")
    assert bad.status_code == 400 and "« 15/09/2024 » n'est pas une date" in htmllib.unescape(bad.text)
    assert db_state(db) == before
    r = upload(editor, content, name, source_date="2024-09-15")
    version = staged_version_of(r)
    try:
        assert act(editor, version, "publier").status_code == 302
        assert str(db.scalar("SELECT last_update FROM dataset WHERE slug = :s", {"s": SLUG}))[:10] == "2024-09-15"
    finally:
        restore_dataset(db, original, version)
    assert str(db.scalar("SELECT last_update FROM dataset WHERE slug = :s", {"s": SLUG}))[:10] != "2024-09-15"


def test_a_staged_file_announces_its_dialect_on_the_preview(editor, db):
    original = served_version(db)
    content, name = stored_file(db, SLUG)
    text = content.decode("utf-8-sig")
    unused = [c for c in text.splitlines()[0].split(";") if c not in publishing.load_schema(SLUG).names]
    r = upload(editor, text.encode("cp1252"), name)
    version = staged_version_of(r)
    try:
        notice = flashed(editor, r, "status")
        assert "Fichier lu comme : CSV, Windows-1252, séparateur point-virgule." in notice
        assert all(c in notice for c in unused) and f"({len(unused)})" in notice
    finally:
        restore_dataset(db, original, version)


# --- several files at once (DVF: one file a year) -----------------------------------------------------

def dvf_by_year(db) -> dict[str, list[str]]:
    """The served DVF file's lines, split by the year of their sale (header apart)."""
    content, _ = stored_file(db, "dvf")
    header, *lines = content.decode("utf-8").splitlines(keepends=True)
    years: dict[str, list[str]] = {"header": [header]}
    for line in lines:
        years.setdefault(line.split(",")[1][:4], []).append(line)
    return years


def upload_many(client, files: list[tuple[bytes, str]], slug: str = "dvf"):
    return client.post(f"/editeur/donnees/{slug}/deposer",
                       data={"csrf_token": token(client), "note": "plusieurs années", "source_date": PRODUCER_DATE,
                             "fichier": [(io.BytesIO(c), n) for c, n in files]},
                       content_type="multipart/form-data")


def test_several_yearly_files_make_one_version(editor, db):
    years = dvf_by_year(db)
    header = years["header"][0]
    older = (header + "".join(years["2023"])).encode("cp1252")  # one file in Windows-1252 ("Dépendance")
    newer = b"\xef\xbb\xbf" + (header + "".join(years["2024"])).encode("utf-8")  # the other with a BOM
    assert "é".encode("cp1252") in older
    version = staged_version_of(upload_many(editor, [(older, "62041-2023.csv"), (newer, "62041-2024.csv")]), "dvf")
    try:
        with db.engine.connect() as conn:
            row = publishing.version_row(conn, "dvf", version)
        assert row.row_count == len(years["2023"]) + len(years["2024"])
        assert row.file_name == "62041-2023-et-1-autres.csv"
        assert row.coverage.startswith("2023-") and " – 2024-" in row.coverage
        kept, _ = stored_file(db, "dvf", version)
        assert kept.decode("utf-8") == header + "".join(years["2023"]) + "".join(years["2024"])
        assert editor.get(f"/editeur/donnees/dvf/{version}").status_code == 200
    finally:
        assert act(editor, version, "abandonner", "dvf").status_code == 302


def test_files_that_do_not_share_their_columns_are_refused_naming_the_file(editor, db):
    years = dvf_by_year(db)
    header = years["header"][0]
    first = (header + "".join(years["2023"][:50])).encode("utf-8")
    # Each valid on its own (the extra column is not used), but not one table together.
    other = (header.rstrip("\n") + ",commentaire\n"
             + "".join(line.rstrip("\n") + ",\n" for line in years["2024"][:50])).encode("utf-8")
    before = db.scalar("SELECT COUNT(*) FROM dataset_version WHERE dataset_slug = 'dvf'")
    r = upload_many(editor, [(first, "a.csv"), (other, "b.csv")])
    assert r.status_code == 422
    assert "« b.csv » n'a pas les mêmes colonnes que « a.csv »" in htmllib.unescape(r.text)
    broken = (header + "".join(years["2024"][:20]).replace(",Vente,", ",Vendu,", 1)).encode("utf-8")
    r = upload_many(editor, [(first, "a.csv"), (broken, "b.csv")])
    assert r.status_code == 422
    page = htmllib.unescape(r.text)
    assert "b.csv" in page and "nature_mutation" in page and "Vendu" in page
    assert db.scalar("SELECT COUNT(*) FROM dataset_version WHERE dataset_slug = 'dvf'") == before


# --- what the editor reads: the producer's date, the period covered, restoring, plain words ---------

def dataset_last_update(db, slug: str = SLUG) -> str:
    return str(db.scalar("SELECT last_update FROM dataset WHERE slug = :s", {"s": slug}))[:10]


def test_an_upload_without_the_producers_date_is_refused_saying_what_is_missing(editor, db):
    content, name = stored_file(db, SLUG)
    form = editor.get(f"/editeur/donnees/{SLUG}").text
    (field,) = StartTags(form).find("input", id="source_date")
    assert "required" in field  # the browser asks for it before sending
    before = db_state(db)
    missing = upload(editor, content, name, source_date=None)
    assert missing.status_code == 400
    said = alert_text(missing.text)
    assert "Indiquez la date de publication par le producteur" in said and "Rien n'a été déposé." in said
    assert db_state(db) == before
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    future = upload(editor, content, name, source_date=tomorrow)
    assert future.status_code == 400 and f"({tomorrow}) est dans le futur" in alert_text(future.text)
    assert db_state(db) == before


def test_a_version_staged_without_a_producers_date_never_dates_the_dataset_today(db):
    """The command line and the seed may stage without a date: the date served so far stays."""
    original, kept = served_version(db), dataset_last_update(db)
    earlier = "2001-02-03"  # a date no code path would invent
    with db.begin() as conn:
        conn.execute(update(t.dataset).where(t.dataset.c.slug == SLUG).values(last_update=date.fromisoformat(earlier)))
    content, name = stored_file(db, SLUG)
    staged = publishing.stage(db, SLUG, content, name, "test")
    try:
        with db.engine.connect() as conn:
            assert publishing.version_row(conn, SLUG, staged.version).source_date is None
        publishing.publish(db, {SLUG: staged.version}, "test")
        assert dataset_last_update(db) == earlier
    finally:
        restore_dataset(db, original, staged.version)
        with db.begin() as conn:
            conn.execute(update(t.dataset).where(t.dataset.c.slug == SLUG).values(last_update=date.fromisoformat(kept)))


def test_restoring_a_version_asks_for_confirmation_before_going_live(db, editor):
    original = served_version(db)
    content, name = stored_file(db, SLUG)
    version = staged_version_of(upload(editor, content, name))
    confirm_url = f"/editeur/donnees/{SLUG}/{original}/retablir"
    try:
        assert act(editor, version, "publier").status_code == 302 and served_version(db) == version
        # The versions table leads to a confirmation page: a link, not a form that acts.
        listing = editor.get(f"/editeur/donnees/{SLUG}").text
        row = re.search(rf'<tr data-version="{original}">(.*?)</tr>', listing, re.DOTALL).group(1)
        assert StartTags(row).find("a", href=confirm_url) and not StartTags(row).find("form")
        before = db_state(db)
        page = editor.get(confirm_url)
        assert page.status_code == 200 and db_state(db) == before
        # A POST without the explicit confirmation (the old form's) shows the same page and changes nothing.
        unconfirmed = act(editor, original, "retablir", confirm=False)
        assert unconfirmed.status_code == 200 and db_state(db) == before
        text = strip_tags(page.text)
        assert f"la version {original} sera en ligne dès la confirmation, à la place de la version {version}" in text
        (form,) = StartTags(page.text).find("form", action=confirm_url, method="post")
        assert StartTags(page.text).find("button", name="confirm", value="oui", type="submit")
        assert StartTags(page.text).find("input", name="csrf_token")
        assert StartTags(page.text).find("a", href=f"/editeur/donnees/{SLUG}")  # cancel
        refused = editor.post(confirm_url, data={"confirm": "oui"})  # confirmed, but no CSRF token
        assert refused.status_code == 400 and served_version(db) == version
        confirmed = act(editor, original, "retablir")
        assert confirmed.status_code == 302 and served_version(db) == original
        assert flashed(editor, confirmed, "status") == f"Version {original} rétablie : elle est en ligne."
    finally:
        restore_dataset(db, original, version)


def main_view(page: str) -> str:
    """The page's main content without its <details> (secondary, folded information)."""
    main = re.search(r'<main[^>]*>(.*)</main>', page, re.DOTALL).group(1)
    return re.sub(r"<details.*?</details>", "", main, flags=re.DOTALL)


def names_slug(text: str, slug: str = SLUG) -> bool:
    """Whether `text` shows the slug as a word (not inside a file name such as colleges-ips-2023.csv)."""
    return re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text) is not None


def test_the_editor_pages_speak_plain_french_without_codes_or_hashes(db, editor):
    with db.engine.connect() as conn:
        title = conn.execute(select(t.dataset.c.title_fr).where(t.dataset.c.slug == SLUG)).scalar_one()
        served = publishing.version_row(conn, SLUG, served_version(db))
    assert served.published_by == "seed"  # the shipped version, published when the site was installed
    dashboard = main_view(editor.get(DASHBOARD).text)
    assert title in dashboard and not names_slug(strip_tags(dashboard))
    page = editor.get(f"/editeur/donnees/{SLUG}").text
    shown = strip_tags(main_view(page))
    assert not names_slug(shown) and served.sha256[:16] not in shown
    assert "Table Schema" not in shown and "seed" not in shown
    assert "publiée à l'installation du site (données fournies avec le site)" in shown
    technical = strip_tags(re.search(r'<details[^>]*id="technical"[^>]*>(.*?)</details>', page, re.DOTALL).group(1))
    assert names_slug(technical)  # still there, folded
    preview = editor.get(f"/editeur/donnees/{SLUG}/{served.version}").text
    shown = strip_tags(main_view(preview))
    assert title in strip_tags(re.search(r"<h1>(.*?)</h1>", preview, re.DOTALL).group(1))
    assert not names_slug(shown) and served.sha256 not in shown
    assert served.sha256 in re.search(r'<details[^>]*id="technical"[^>]*>(.*?)</details>', preview, re.DOTALL).group(1)


def test_the_preview_says_why_the_period_covered_changes(editor, db):
    years = dvf_by_year(db)
    header, first = years["header"][0], min(y for y in years if y != "header")
    kept = [line for y, lines in sorted(years.items()) if y not in ("header", first) for line in lines]
    dates = sorted(line.split(",")[1] for line in kept)
    with db.engine.connect() as conn:
        before = publishing.version_row(conn, "dvf", served_version(db, "dvf")).coverage
    version = staged_version_of(upload(editor, (header + "".join(kept)).encode(), "dvf.csv", "dvf"), "dvf")
    try:
        page = editor.get(f"/editeur/donnees/dvf/{version}").text
        said = strip_tags(re.search(r'<p id="coverage-change">(.*?)</p>', page, re.DOTALL).group(1))
        assert said == (f"La période couverte passe de {before} à {dates[0]} – {dates[-1]} : "
                        f"le fichier ne contient plus {first}.")
    finally:
        act(editor, version, "abandonner", "dvf")


def test_a_period_dropped_and_one_added_are_both_named():
    from webapp.data.checking import period_change
    from webapp.editor import coverage_sentence

    schema = publishing.load_schema(SLUG)
    def table(years):
        return pd.DataFrame({"Rentrée scolaire": [str(y) for y in years], "UAI": "0620001A", "IPS": "90"})
    change = period_change(schema, table(range(2019, 2024)), table(range(2020, 2025)))
    assert change == {"dropped": ["2019"], "added": ["2024"]}
    said = coverage_sentence({"before": "2019 – 2023", "after": "2020 – 2024", **change}, "fr")
    assert said == ("La période couverte passe de 2019 – 2023 à 2020 – 2024 : le fichier ne contient plus 2019 "
                    "et ajoute 2024.")
    gap = period_change(schema, table([2016, 2017, 2018, 2019, 2020]), table([2016, 2020]))
    assert coverage_sentence({"before": "2016 – 2020", "after": "2016 – 2020", **gap}, "fr") == (
        "La période couverte reste 2016 – 2020, mais le fichier ne contient plus 2017–2019.")
    assert coverage_sentence({"before": "2016 – 2020", "after": "2016 – 2020", "dropped": [], "added": []}, "fr") is None


def schema_rows(content: bytes, slug: str) -> list[tuple[str, ...]]:
    """The rows of a comma-separated file, cut to the dataset's schema columns (read from its JSON)."""
    import json
    from pathlib import Path

    names = [f["name"] for f in json.loads((Path(__file__).parents[1] / "data" / "schemas" / f"{slug}.json")
                                           .read_text(encoding="utf-8"))["fields"]]
    return [tuple(r[n] for n in names) for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]


def test_duplicated_rows_added_to_a_file_without_key_are_counted_and_flagged(editor, db):
    content, name = stored_file(db, "dvf")
    text = content.decode("utf-8")
    doubled = text.splitlines(keepends=True)[1:4]  # three rows written a second time
    bigger = (text + "".join(doubled)).encode("utf-8")
    rows = schema_rows(bigger, "dvf")
    duplicates = len(rows) - len(set(rows))  # rows equal to an earlier row
    version = staged_version_of(upload(editor, bigger, name, "dvf"), "dvf")
    try:
        page = editor.get(f"/editeur/donnees/dvf/{version}").text
        listed = re.search(r'<ul id="changes">(.*?)</ul>', page, re.DOTALL)[1]
        changes = {label.strip(): int(n) for n, label in re.findall(r"<li><strong>(\d+)</strong>([^<]+)</li>", listed)}
        assert changes == {"lignes ajoutées": len(doubled), "ligne supprimée": 0, "ligne modifiée": 0}
        warning = strip_tags(re.search(r'<p[^>]*id="duplicates"[^>]*>(.*?)</p>', page, re.DOTALL).group(1))
        assert f"{duplicates} lignes du fichier sont identiques à une autre ligne du fichier" in warning
    finally:
        act(editor, version, "abandonner", "dvf")


def test_the_diff_of_a_table_without_key_counts_each_copy_of_a_row():
    from webapp.data.checking import diff

    schema = publishing.load_schema("dvf")
    row = {n: "" for n in schema.names}
    old = pd.DataFrame([{**row, "id_mutation": "a"}, {**row, "id_mutation": "b"}])
    new = pd.DataFrame([{**row, "id_mutation": "a"}, {**row, "id_mutation": "a"}, {**row, "id_mutation": "a"}])
    changes = diff(schema, old, new)
    assert (changes["added"], changes["removed"], changes["changed"]) == (2, 1, 0)  # a: 1 -> 3 copies; b: gone
    assert changes["duplicates"] == 2
