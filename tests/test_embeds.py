"""Embeddable widgets through the Flask test client: pages, index, headers, fast path, formats, images.

Expected values come from the registry's declared parameters, the shipped catalogue and IRIS files,
the `dataset` table and the pages' own HTML, never from the code that builds the answer.
"""

from __future__ import annotations

import csv
import gzip
import html as htmllib
import io
import itertools
import json
import re
import shutil
import struct
from datetime import date
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import brotli
import pytest
from werkzeug.http import parse_date
from werkzeug.test import Client

from tests.helpers import ROOT, formula_cells, read_source_json, republish, serve_again
from webapp.charts import REGISTRY, load_all

load_all()
SLUGS = sorted(REGISTRY)
LANGS = ("fr", "en")
THEMES = ("light", "dark", "auto")
FORMATS = ("", ".csv", ".json", ".png", ".svg")
DEFAULT_WIDGET_CSP = "frame-ancestors 'self' https://www.arras.fr"  # the default EMBED_ORIGINS
BOM = "\ufeff"
CATALOGUE = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
def served_producer(slug: str) -> str:
    """The producer the catalogue names for the shipped file (its demo wording for a demo file)."""
    entry = CATALOGUE[slug]
    return entry["demo"]["producer"] if entry.get("is_demo") else entry["producer"]


IRIS_CODES = [f["properties"]["CODE_IRIS"] for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"]
              if f["properties"]["INSEE_COM"] == "62041"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
FORBIDDEN_SCRIPTS = ("_dash-component-suites", "plotly.min.js")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- readers -----------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Doc(HTMLParser):
    """Every element of a page with its attributes, its ancestors and its text (nested text included)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[dict] = []
        self._stack: list[dict] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": {k: (v or "") for k, v in attrs}, "parts": [], "anc": list(self._stack)}
        self.nodes.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i]["tag"] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        for node in self._stack:
            node["parts"].append(data)

    def all(self, tag: str, cls: str | None = None, inside: dict | None = None, **attrs: str) -> list[dict]:
        out = []
        for n in self.nodes:
            if n["tag"] != tag:
                continue
            if cls is not None and cls not in n["attrs"].get("class", "").split():
                continue
            if any(n["attrs"].get(k) != v for k, v in attrs.items()):
                continue
            if inside is not None and not any(a is inside for a in n["anc"]):
                continue
            out.append(n)
        return out

    def one(self, tag: str, cls: str | None = None, **attrs: str) -> dict:
        found = self.all(tag, cls, **attrs)
        assert len(found) == 1, f"expected one <{tag} class={cls} {attrs}>, found {len(found)}"
        return found[0]

    @staticmethod
    def raw(node: dict) -> str:
        return "".join(node["parts"])

    @staticmethod
    def text(node: dict) -> str:
        return " ".join("".join(node["parts"]).split())

    def has_ancestor(self, node: dict, tag: str) -> bool:
        return any(a["tag"] == tag for a in node["anc"])


def csv_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith(BOM), "the CSV starts with a UTF-8 BOM (Excel)"
    return list(csv.reader(io.StringIO(body[1:])))


def french_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {MONTHS_FR[d.month - 1]} {d.year}"


def decode(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding in (None, "identity"), encoding
    return body


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == PNG_SIGNATURE, "not a PNG"
    assert body[12:16] == b"IHDR", "the PNG's first chunk is not IHDR"
    return struct.unpack(">II", body[16:24])


def font_color(figure: dict) -> str | None:
    return figure.get("layout", {}).get("font", {}).get("color")


def table_versions(db) -> dict[str, int]:
    df = db.query_df("SELECT slug, version FROM dataset")
    return {s: int(v) for s, v in zip(df["slug"], df["version"])}


@pytest.fixture(scope="module")
def declared(server) -> dict[str, list[tuple]]:
    """Each chart's parameters as declared in the registry: (name, default, allowed values, multiple)."""
    with server.test_request_context():
        return {slug: [(p.name, p.default_value(), list(p.allowed()), p.multiple) for p in chart.params]
                for slug, chart in REGISTRY.items()}


@pytest.fixture(scope="module")
def index(server) -> dict[str, dict]:
    r = server.test_client().get("/embed/index.json")
    assert r.status_code == 200
    return {w["slug"]: w for w in r.get_json()["widgets"]}


def variants(params: list[tuple]) -> list[dict[str, str]]:
    """One parameter at a time: each allowed value alone, and every pair for the `multiple` ones."""
    out = []
    for name, default, allowed, multiple in params:
        out += [{name: v} for v in allowed]
        if multiple:
            out += [{name: f"{a},{b}"} for a, b in itertools.combinations([v for v in allowed if v != default], 2)]
    return out


# --- 1. the widget page, for every parameter value, language and theme ------------------------

def test_declared_parameters_match_the_data(declared):
    for slug, params in declared.items():
        by_name = {name: (default, allowed) for name, default, allowed, _ in params}
        expected = {"ecoles": {"niveau", "secteur", "quartier"},
                    "logement": {"type", "debut", "fin", "quartier", "indicateur"},
                    "frequentation": {"lieu", "debut", "fin", "zone", "categorie", "evenement"},
                    "commerces": {"annee", "perimetre"},
                    "signalements": {"nature", "annees"}}[REGISTRY[slug].story]
        assert set(by_name) == expected, slug
        for name, (default, allowed) in by_name.items():
            assert default in allowed or (name == "evenement" and default == ""), (slug, name)
        # the neighbourhoods are the commune's IRIS of the shipped contours file
        if "quartier" in by_name:
            assert sorted(by_name["quartier"][1]) == sorted([*IRIS_CODES, "tous"]), slug
        assert len(IRIS_CODES) == 16


def check_widget_page(doc: Doc, chart, lang: str, theme: str, query: dict, header: list[str], n_rows: int,
                      declared_params: list[tuple], url: str) -> dict:
    """Everything a widget page must hold; returns its JSON payload."""
    root = doc.one("html")
    assert root["attrs"].get("lang") == lang, url
    assert root["attrs"].get("data-theme") == theme, url
    title = doc.one("title")
    assert doc.text(title), f"empty <title> on {url}"
    assert doc.text(title).startswith(chart.title[lang]), url
    h1 = doc.one("h1")
    assert doc.text(h1) == chart.title[lang], url

    # the data table, in a <details>, with the CSV's header
    table = doc.one("table")
    assert doc.has_ancestor(table, "details"), f"the table is not in a <details> on {url}"
    details = next(a for a in table["anc"] if a["tag"] == "details")
    assert doc.all("summary", inside=details), url
    caption = doc.all("caption", inside=table)
    assert len(caption) == 1 and doc.text(caption[0]), f"no caption on {url}"
    ths = doc.all("th", inside=table)
    assert [th["attrs"].get("scope") for th in ths] == ["col"] * len(ths), url
    assert [doc.text(th) for th in ths] == header, url
    body_rows = [tr for tr in doc.all("tr", inside=table) if doc.has_ancestor(tr, "tbody")]
    assert len(body_rows) == n_rows, url

    # the source line: each dataset's title, producer and licence, from the shipped catalogue
    source = doc.one("p", cls="w-source")
    source_text = doc.text(source)
    hrefs = {a["attrs"].get("href") for a in doc.all("a", inside=source)}
    for ds in chart.datasets:
        meta = CATALOGUE[ds]
        assert served_producer(ds) in source_text, (url, ds)
        assert meta["licence"] in source_text, (url, ds)
        assert meta[f"title_{lang}"] in source_text, (url, ds)
        # the producer's page, or for the city's own data (no source address) its entry in our catalogue
        assert (meta["source_url"] or f"/donnees#jeu-{ds}") in hrefs and meta["licence_url"] in hrefs, (url, ds)

    # the link to the story page leaves the iframe, with the same view and language
    story = [a for a in doc.all("a") if urlsplit(a["attrs"].get("href", "")).path == chart.story_path]
    assert len(story) == 1, f"no single link to {chart.story_path} on {url}"
    assert story[0]["attrs"].get("target") == "_top", url
    defaults = {name: default for name, default, _, _ in declared_params}
    expected = {k: [v] for k, v in query.items() if v != defaults[k]}
    if lang != "fr":
        expected["lang"] = [lang]
    assert parse_qs(urlsplit(story[0]["attrs"]["href"]).query) == expected, url

    # no Dash bundle, no full plotly
    scripts = [s["attrs"]["src"] for s in doc.all("script") if s["attrs"].get("src")]
    assert scripts, url
    assert not [s for s in scripts if any(f in s for f in FORBIDDEN_SCRIPTS)], (url, scripts)

    payload = json.loads(doc.raw(doc.one("script", id="w-payload")))
    assert isinstance(payload["figure"]["data"], list), url
    return payload


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_widget_page_for_every_parameter_value(client, declared, slug, lang):
    chart = REGISTRY[slug]
    queries = variants(declared[slug])
    for name, _, allowed, _ in declared[slug]:  # every allowed value of every parameter is tried
        assert {q[name] for q in queries if name in q} >= set(allowed), (slug, name)
    for query in queries:
        rows = csv_rows(client.get(f"/embed/{slug}.csv?" + urlencode({**query, "lang": lang})))
        header, n_rows = rows[0], len(rows) - 1
        payloads = {}
        for theme in THEMES:
            url = f"/embed/{slug}?" + urlencode({**query, "lang": lang, "theme": theme})
            r = client.get(url)
            assert r.status_code == 200, url
            assert r.mimetype == "text/html", url
            doc = Doc(r.get_data(as_text=True))
            payloads[theme] = check_widget_page(doc, chart, lang, theme, query, header, n_rows, declared[slug], url)
        where = f"{slug} {query} {lang}"
        assert font_color(payloads["dark"]["figure"]) != font_color(payloads["light"]["figure"]), where
        assert "dark" not in payloads["light"] and "dark" not in payloads["dark"], where
        assert "dark" in payloads["auto"], f"theme=auto carries no dark variant: {where}"
        assert payloads["auto"]["figure"] == payloads["light"]["figure"], where
        assert payloads["auto"]["dark"] == payloads["dark"]["figure"], where


def test_widget_page_defaults_to_french_and_light(client):
    for slug in SLUGS:
        doc = Doc(client.get(f"/embed/{slug}").get_data(as_text=True))
        assert doc.one("html")["attrs"]["lang"] == "fr"
        assert doc.one("html")["attrs"]["data-theme"] == "light"
        assert doc.text(doc.one("h1")) == REGISTRY[slug].title["fr"]


# --- 2. the widget index ---------------------------------------------------------------------

def test_index_lists_exactly_the_registry(client):
    r = client.get("/embed/index.json")
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    slugs = [w["slug"] for w in r.get_json()["widgets"]]
    assert sorted(slugs) == SLUGS
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize("slug", SLUGS)
def test_index_entry(client, db, declared, index, slug):
    chart, entry = REGISTRY[slug], index[slug]
    assert entry["title"] == dict(chart.title)
    assert entry["url"] == f"/embed/{slug}"
    assert set(entry["formats"]) >= {"html", "csv", "json", "png", "svg"}
    params = entry["parameters"]
    assert [p["name"] for p in params] == [p[0] for p in declared[slug]] + ["lang", "theme", "v"]
    by_name = {p["name"]: p for p in params}
    for name, default, allowed, multiple in declared[slug]:
        assert by_name[name]["default"] == default, name
        assert by_name[name]["allowed"] == allowed, name
        assert by_name[name]["multiple"] is multiple, name
    assert by_name["lang"]["default"] == "fr" and by_name["lang"]["allowed"] == ["fr", "en"]
    assert by_name["theme"]["default"] == "light" and by_name["theme"]["allowed"] == ["light", "dark", "auto"]
    assert by_name["v"]["allowed"] == [entry["version"]]

    versions = table_versions(db)
    assert sorted(d["slug"] for d in entry["datasets"]) == sorted(chart.depends)
    for d in entry["datasets"]:
        assert d["version"] == versions[d["slug"]], d
        assert d["title"] == CATALOGUE[d["slug"]]["title_fr"], d

    # `version` is what `v` must be: pinned answers never change, a past version is gone
    version = entry["version"]
    assert version
    for suffix in ("", ".csv", ".json"):
        pinned = client.get(f"/embed/{slug}{suffix}?v={version}")
        assert pinned.status_code == 200, suffix
        assert "immutable" in pinned.headers.get("Cache-Control", ""), suffix
        loose = client.get(f"/embed/{slug}{suffix}")
        assert "immutable" not in loose.headers.get("Cache-Control", ""), suffix
        gone = client.get(f"/embed/{slug}{suffix}?v=zzz")
        assert gone.status_code == 410, suffix
        message = gone.get_json()["error"]["message"] if suffix == ".json" else gone.get_data(as_text=True)
        assert version in message, (suffix, message)
        assert "zzz" in message and "version actuelle" in message, (suffix, message)


# --- 3. headers --------------------------------------------------------------------------------

def _widget_urls() -> list[str]:
    return [f"/embed/{s}{suffix}" for s in SLUGS for suffix in ("", ".csv", ".json")]


@pytest.mark.parametrize("url", _widget_urls() + ["/embed/index.json", "/embed/inconnu", "/embed/ecoles-ips?secteur=x",
                                                  "/embed/ecoles-ips.json?v=zzz", "/embed/inconnu.csv"])
def test_widget_framing_headers(client, url):
    for headers in ({}, {"Accept-Encoding": "gzip, deflate, br"}):
        for _ in range(2):  # the second one from the fast path when it is cached
            r = client.get(url, headers=headers)
            assert r.headers.get("Content-Security-Policy") == DEFAULT_WIDGET_CSP, url
            assert "X-Frame-Options" not in r.headers, url
            assert "Set-Cookie" not in r.headers, url
            assert r.headers.get("X-Content-Type-Options") == "nosniff", url


@pytest.mark.parametrize("url", _widget_urls())
def test_widget_cache_headers_and_conditional_get(client, server, url):
    inner = Client(server.wsgi_app.app)
    for encoding in ("", "gzip", "br"):
        headers = {"Accept-Encoding": encoding} if encoding else {}
        r = client.get(url, headers=headers)
        assert r.status_code == 200, url
        assert r.headers.get("Cache-Control", "").startswith("public"), url
        etag = r.headers.get("ETag")
        assert etag, url
        for c in (client, inner):  # through the fast path and through Flask alone
            again = c.get(url, headers={**headers, "If-None-Match": etag})
            assert again.status_code == 304, (url, encoding, c)
            assert again.get_data() == b""
            assert again.headers.get("ETag") == etag
            assert again.headers.get("Content-Security-Policy") == DEFAULT_WIDGET_CSP
        other = client.get(url, headers={**headers, "If-None-Match": '"not-this-one"'})
        assert other.status_code == 200, url


@pytest.mark.parametrize("path", ["/", "/ecoles"])
def test_site_pages_cannot_be_framed_elsewhere(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers.get("Content-Security-Policy") == "frame-ancestors 'self'"
    assert r.headers.get("X-Frame-Options") == "SAMEORIGIN"


@pytest.fixture(scope="module")
def app_ttl0(app, settings):
    """A second app on the same database whose fast path re-reads the data versions at each request."""
    from webapp import create_app

    second = create_app(settings.replace(widget_version_ttl=0))
    yield second
    second.server.extensions["arras_db"].dispose()


def test_etag_and_version_follow_a_dataset_bump(app_ttl0, db):
    c = app_ttl0.server.test_client()
    slug = "ecoles-brevet"
    dataset = min(REGISTRY[slug].depends)
    urls = [f"/embed/{slug}", f"/embed/{slug}.csv", f"/embed/{slug}.json?secteur=public"]
    before = {u: c.get(u) for u in urls}
    for u in urls:
        c.get(u)  # warm in the fast path
    index0 = {w["slug"]: w for w in c.get("/embed/index.json").get_json()["widgets"]}[slug]
    original = table_versions(db)[dataset]
    new = republish(db, dataset)
    try:
        for u in urls:
            after = c.get(u)
            assert after.status_code == 200, u
            assert after.headers["ETag"] != before[u].headers["ETag"], f"ETag unchanged after a publish: {u}"
            assert c.get(u, headers={"If-None-Match": before[u].headers["ETag"]}).status_code == 200, u
        index1 = {w["slug"]: w for w in c.get("/embed/index.json").get_json()["widgets"]}[slug]
        assert {d["slug"]: d["version"] for d in index1["datasets"]}[dataset] == new
        assert index1["version"] != index0["version"]
        # A widget pinned to the version before keeps showing it; an unknown version is gone.
        pinned = c.get(f"/embed/{slug}?v={index0['version']}")
        assert pinned.status_code == 200 and pinned.headers["Cache-Control"].endswith("immutable")
        assert c.get(f"/embed/{slug}?v={index1['version']}").status_code == 200
        assert c.get(f"/embed/{slug}?v=0000000000").status_code == 410
    finally:
        serve_again(db, dataset, original)
    for u in urls:
        assert c.get(u).headers["ETag"] == before[u].headers["ETag"], u
    assert c.get(f"/embed/{slug}?v={index0['version']}").status_code == 200


@pytest.fixture(scope="module")
def app_any_origin(app, settings):
    from webapp import create_app

    other = create_app(settings.replace(embed_origins=("*",)))
    yield other
    other.server.extensions["arras_db"].dispose()


def test_embed_origins_star_lets_anyone_frame_the_widgets(app_any_origin):
    c = app_any_origin.server.test_client()
    for url in [f"/embed/{s}" for s in SLUGS] + ["/embed/ecoles-ips.csv", "/embed/inconnu"]:
        r = c.get(url)
        assert r.headers.get("Content-Security-Policy") == "frame-ancestors *", url
        assert "X-Frame-Options" not in r.headers, url
    page = c.get("/ecoles")
    assert page.headers.get("Content-Security-Policy") == "frame-ancestors 'self'"
    assert page.headers.get("X-Frame-Options") == "SAMEORIGIN"


def test_embed_origins_list_from_the_environment(app, settings):
    from webapp import create_app
    from webapp.settings import Settings

    origins = Settings.from_env({"EMBED_ORIGINS": "https://a.example https://b.example"}).embed_origins
    other = create_app(settings.replace(embed_origins=origins))
    try:
        r = other.server.test_client().get("/embed/ecoles-carte")
        assert r.headers.get("Content-Security-Policy") == "frame-ancestors 'self' https://a.example https://b.example"
    finally:
        other.server.extensions["arras_db"].dispose()


def test_widget_after_a_deploy_points_at_the_new_assets(app, settings, server, tmp_path):
    """A deploy that changes a widget asset: the page must name the asset this server now serves, and a
    browser holding the old page (strong ETag) must not be told that it is still current."""
    from webapp import create_app
    from webapp.assets import AssetStore

    url = "/embed/ecoles-effectifs?secteur=prive&lang=en"
    old = server.test_client().get(url)
    assert old.status_code == 200
    root = (tmp_path / "assets").resolve()
    shutil.copytree(ROOT / "assets", root)
    with open(root / "js" / "widget.js", "a", encoding="utf-8") as fh:
        fh.write("\n// deployed again\n")
    deployed = create_app(settings)
    deployed.server.extensions["arras_assets"] = AssetStore(root)
    try:
        c = deployed.server.test_client()
        new = c.get(url)
        assert new.status_code == 200
        scripts = [s["attrs"]["src"] for s in Doc(new.get_data(as_text=True)).all("script") if s["attrs"].get("src")]
        widget_js = [s for s in scripts if s.endswith("/js/widget.js")]
        assert len(widget_js) == 1, scripts
        assert c.get(widget_js[0]).status_code == 200, f"the widget page names a script this server no longer " \
                                                       f"serves: {widget_js[0]}"
        if new.get_data() != old.get_data():
            assert new.headers["ETag"] != old.headers["ETag"], "new bytes under the old strong ETag: a browser " \
                                                             "revalidating its old page gets 304"
            assert c.get(url, headers={"If-None-Match": old.headers["ETag"]}).status_code == 200
    finally:
        deployed.server.extensions["arras_db"].dispose()


# --- 4. the fast path --------------------------------------------------------------------------

FAST_URLS = ["/embed/ecoles-effectifs?niveau=lycee,college&lang=en&theme=auto",
             "/embed/ecoles-ips.csv?niveau=lycee,ecole&secteur=public",
             "/embed/ecoles-carte.json?niveau=lycee,college&lang=en",
             "/embed/index.json"]


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
@pytest.mark.parametrize("url", FAST_URLS)
def test_fast_path_replays_exactly_what_flask_says(client, server, url, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get(url, headers=headers)
    second = client.get(url, headers=headers)
    flask_alone = Client(server.wsgi_app.app).get(url, headers=headers)
    assert first.status_code == second.status_code == flask_alone.status_code == 200
    assert second.get_data() == first.get_data()
    without_date = lambda r: [(k, v) for k, v in r.headers.items() if k != "Date"]
    assert without_date(second) == without_date(first)
    # A replayed answer is dated when it is sent, not when it was first computed.
    assert ("Date" in second.headers) == ("Date" in first.headers)
    if "Date" in first.headers:
        assert parse_date(second.headers["Date"]) >= parse_date(first.headers["Date"])
    assert flask_alone.get_data() == first.get_data()
    assert without_date(flask_alone) == without_date(first)
    assert first.headers.get("Content-Encoding") == (encoding or None)
    plain = Client(server.wsgi_app.app).get(url)
    assert decode(second) == plain.get_data()


@pytest.fixture()
def inner_calls(server, monkeypatch):
    """Counts the requests that reach Flask behind the fast path."""
    calls: list[str] = []
    fast = server.wsgi_app
    flask_app = fast.app

    def counting(environ, start_response):
        calls.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}?{environ.get('QUERY_STRING', '')}")
        return flask_app(environ, start_response)

    monkeypatch.setattr(fast, "app", counting)
    return calls


def test_fast_path_answers_warm_widgets_only(client, inner_calls):
    url = "/embed/ecoles-carte?niveau=lycee,ecole&theme=dark"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(inner_calls) == 1, inner_calls  # the second one from memory
    # a POST, or a path outside /embed/, always reaches Flask
    assert client.post(url).status_code == 405
    assert client.post(url).status_code == 405
    assert len(inner_calls) == 3, inner_calls
    for path in ("/ecoles", "/embed.js", "/robots.txt"):
        before = len(inner_calls)
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200
        assert len(inner_calls) == before + 2, (path, inner_calls)


@pytest.mark.parametrize(("bad", "status"), [("/embed/inconnu-fast", 404), ("/embed/ecoles-ips?secteur=fast", 400),
                                             ("/embed/ecoles-ips.json?v=fast", 410),
                                             ("/embed/inconnu-fast.csv", 404)])
def test_fast_path_never_keeps_an_error(client, inner_calls, bad, status):
    for _ in range(2):
        r = client.get(bad)
        assert r.status_code == status
    assert len(inner_calls) == 2, inner_calls
    good = bad.split("?")[0].replace("inconnu-fast", "ecoles-ips")
    assert client.get(good).status_code == 200


@pytest.mark.parametrize("poison", ["*", "GZIP"])
def test_fast_path_keeps_encodings_apart(client, poison):
    """A client that accepts no compression must never receive a body compressed for another client."""
    url = f"/embed/ecoles-effectifs?secteur=public&niveau=lycee,ecole&lang={'fr' if poison == '*' else 'en'}"
    first = client.get(url, headers={"Accept-Encoding": poison})
    assert first.status_code == 200
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.headers.get("Content-Encoding") in (None, "identity"), (
        f"Accept-Encoding: identity answered with {plain.headers.get('Content-Encoding')} "
        f"after a request with Accept-Encoding: {poison}")
    assert plain.get_data().startswith(b"<!DOCTYPE html>")


# --- 5. data formats and bad input ------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_csv_format(client, slug):
    for query in ("", "?secteur=prive", "?lang=en", "?niveau=college,lycee"):
        r = client.get(f"/embed/{slug}.csv{query}")
        assert r.status_code == 200
        assert r.mimetype == "text/csv"
        assert r.get_data().startswith(BOM.encode("utf-8"))
        rows = csv_rows(r)
        assert len(rows) >= 1
        assert all(len(row) == len(rows[0]) for row in rows), query
        assert formula_cells(rows) == [], query
        page = Doc(client.get(f"/embed/{slug}{query}").get_data(as_text=True))
        assert rows[0] == [Doc.text(th) for th in page.all("th")], query
    assert len(csv_rows(client.get(f"/embed/{slug}.csv"))) > 1, "every chart has data for Arras"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_json_format(client, db, declared, index, slug, lang):
    chart = REGISTRY[slug]
    defaults = {name: default for name, default, _, _ in declared[slug]}
    queries = {"ecoles": ({}, {"secteur": "prive"}, {"niveau": "college,lycee", "quartier": IRIS_CODES[0]}),
               "logement": ({}, {"type": "maison"}, {"debut": "2019", "quartier": IRIS_CODES[0], "indicateur": "ventes"}),
               "frequentation": ({}, {"lieu": "ARRAS-P01"}, {"debut": "2025-06", "zone": "Gare", "categorie": "touriste"}),
               "commerces": ({}, {"perimetre": "hypercentre"}, {"annee": "2020", "perimetre": "hors-hypercentre"}),
               "signalements": ({}, {"nature": "voirie"}, {"annees": "2024", "nature": "proprete"})}
    for query in queries[chart.story]:
        suffix = urlencode({**query, "lang": lang})
        r = client.get(f"/embed/{slug}.json?{suffix}")
        assert r.status_code == 200
        assert r.mimetype == "application/json"
        body = r.get_json()
        assert body["slug"] == slug
        assert body["title"] == chart.title[lang]
        assert body["lang"] == lang
        assert body["parameters"] == {**defaults, **query}
        assert body["version"] == index[slug]["version"]
        versions = table_versions(db)
        assert body["datasets"] == {d: versions[d] for d in chart.depends}
        assert [s["producer"] for s in body["sources"]] == [served_producer(d) for d in chart.datasets]
        assert [s["licence"] for s in body["sources"]] == [CATALOGUE[d]["licence"] for d in chart.datasets]
        assert all(s["date"] for s in body["sources"])
        if lang == "fr":
            assert [s["date"] for s in body["sources"]] == [french_date(CATALOGUE[d]["last_update"])
                                                            for d in chart.datasets]
        rows = csv_rows(client.get(f"/embed/{slug}.csv?{suffix}"))
        assert body["columns"] == rows[0]
        assert len(body["rows"]) == len(rows) - 1
        assert urlsplit(body["page"]).path == chart.story_path


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_unknown_widget_is_404(client, fmt, lang):
    r = client.get(f"/embed/inconnu{fmt}" + ("?lang=en" if lang == "en" else ""))
    assert r.status_code == 404
    if fmt == "":
        assert r.mimetype == "text/html"
        doc = Doc(r.get_data(as_text=True))
        assert doc.one("html")["attrs"]["lang"] == lang
        assert doc.text(doc.one("h1"))
        links = {a["attrs"]["href"].split("?")[0]: Doc.text(a) for a in doc.all("a")}
        for slug in SLUGS:
            assert links.get(f"/embed/{slug}") == REGISTRY[slug].title[lang], slug
        page_text = Doc.text(doc.one("main"))
        if lang == "fr":
            assert "Aucun graphique" in page_text and "« inconnu »" in page_text
        return
    if fmt == ".json":
        assert r.mimetype == "application/json"
        message = r.get_json()["error"]["message"]
        assert r.get_json()["error"]["status"] == 404
    else:
        assert r.mimetype == "text/plain"
        message = r.get_data(as_text=True)
    assert "inconnu" in message
    for slug in SLUGS:
        assert slug in message
    if lang == "fr":
        assert "Aucun graphique" in message


BAD_VALUES = [("lang=de", "lang"), ("theme=blue", "theme"), ("secteur=x", "secteur"), ("niveau=ecole,x", "niveau"),
              ("quartier=1", "quartier"), ("type=villa", "type"), ("debut=1999", "debut"), ("indicateur=x", "indicateur")]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("query", "name"), BAD_VALUES, ids=[q for q, _ in BAD_VALUES])
def test_bad_value_is_400_naming_the_allowed_values(client, declared, fmt, query, name):
    fixed = {"lang": ["fr", "en"], "theme": ["light", "dark", "auto"]}
    for slug in SLUGS:
        params = {n: a for n, _, a, _ in declared[slug]}
        if name not in fixed and name not in params:
            continue  # a parameter of another story's charts: ignored here
        allowed = fixed.get(name) or params[name]
        r = client.get(f"/embed/{slug}{fmt}?{query}")
        assert r.status_code == 400, (slug, fmt, query)
        if fmt == "":
            assert r.mimetype == "text/html"
            page = Doc(r.get_data(as_text=True))
            message = Doc.text(page.all("p", inside=page.one("main"))[0])
        elif fmt == ".json":
            assert r.mimetype == "application/json"
            message = r.get_json()["error"]["message"]
        else:
            assert r.mimetype == "text/plain"
            message = r.get_data(as_text=True)
        assert f"« {name} »" in message, message
        assert "Valeurs possibles" in message, message
        listed = message.split("Valeurs possibles :")[1].strip().rstrip(".").split(", ")
        assert listed == allowed, (slug, fmt, message)


LONG = "x" * 5000
ODD_QUERIES = [
    "secteur=" + LONG, "niveau=" + ",".join(["ecole"] * 2000), "quartier=" + "9" * 3000, "lang=" + quote("é" * 500),
    "theme=" + quote("☀️🌙"), "v=" + LONG, "secteur=%00", "niveau=%00", "quartier=%00", "lang=fr%00", "theme=%00",
    "%00=%00", "secteur=%ff%fe", "niveau=%E9cole", "niveau=" + quote("école"), "quartier=" + quote("６２０４１０１０１"),
    "secteur=public&secteur=prive", "niveau=ecole&niveau=x", "lang=en&lang=de", "theme=dark&theme=blue",
    "niveau=,", "niveau=,,ecole,,", "niveau=tous,ecole", "niveau=", "secteur=", "quartier=", "v=", "lang=", "theme=",
    "largeur=abc", "hauteur=-5", "largeur=99999", "largeur=1", "hauteur=99999", "largeur=-0", "largeur=1e3",
    "largeur=" + "9" * 400, "largeur=%00", "hauteur=abc", "largeur=", "hauteur=", "largeur=" + quote("٣٠٠"),
    "largeur=1_000", "secteur", "=", "&&&", "a=" + quote("<script>alert(1)</script>"), quote("ü") + "=" + quote("ü"),
]
ODD_PATHS = ["/embed/%00", "/embed/ecoles-ips%00", "/embed/" + "x" * 3000, "/embed/" + quote("écoles"),
             "/embed/ecoles-ips.PNG", "/embed/ecoles-ips.csv.json", "/embed/ecoles-ips..csv", "/embed/.csv",
             "/embed/ecoles-ips.exe", "/embed/..%2Fsettings.py", "/embed/%2e%2e/index.json", "/embed/index.json.csv",
             "/embed/ecoles-ips/", "/embed/ecoles-ips/x.csv"]


@pytest.mark.parametrize("fmt", [*FORMATS, "/vue.svg"])
def test_odd_queries_never_break_a_widget(client, monkeypatch, fmt):
    """No 500 on any format. Images are stubbed here (no browser); the real export is tested below."""
    import embeds.images
    from embeds.images import ImageExportUnavailable

    def no_export(*args, **kwargs):
        raise ImageExportUnavailable("stub: no export in this test")

    monkeypatch.setattr(embeds.images, "export_image", no_export)
    monkeypatch.setattr(embeds.images, "chart_svg", no_export)
    for slug in SLUGS:
        for query in ODD_QUERIES:
            r = client.get(f"/embed/{slug}{fmt}", query_string=query)
            assert r.status_code < 500 or r.status_code == 503 and fmt in (".png", ".svg", "/vue.svg"), \
                (slug, fmt, query[:80], r.status_code)
            if r.status_code >= 400:
                assert r.get_data(), (slug, fmt, query[:80])
    for path in ODD_PATHS:
        r = client.get(path + fmt)
        assert r.status_code < 500, (path[:80] + fmt, r.status_code)


# --- 6. images ---------------------------------------------------------------------------------

def test_image_without_browser_is_503_in_french(client, monkeypatch):
    import embeds.images

    monkeypatch.setattr(embeds.images.shutil, "which", lambda *a, **k: None)
    for url in ("/embed/ecoles-ips-lycees.png?largeur=777&theme=dark", "/embed/ecoles-ips-lycees.svg?hauteur=555"):
        for _ in range(2):  # never kept by the fast path
            r = client.get(url)
            assert r.status_code == 503, url
            assert r.mimetype == "text/plain"
            body = r.get_data(as_text=True)
            assert "installez" in body and "chromium" in body.lower(), body
            assert "indisponible" in body, body


@pytest.mark.browser
def test_svg_image_has_title_and_source(client):
    r = client.get("/embed/ecoles-ips.svg")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "image/svg+xml"
    svg = htmllib.unescape(r.get_data(as_text=True))
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:500]
    assert REGISTRY["ecoles-ips"].title["fr"] in svg
    assert "Source" in svg
    for ds in REGISTRY["ecoles-ips"].datasets:
        assert CATALOGUE[ds]["producer"] in svg, ds


@pytest.mark.browser
def test_png_width_is_clamped_and_doubled(client, server):
    wide = client.get("/embed/ecoles-ips.png?largeur=99999")
    assert wide.status_code == 200, wide.get_data(as_text=True)
    assert wide.mimetype == "image/png"
    assert png_size(wide.get_data())[0] == 2000 * 2
    narrow = client.get("/embed/ecoles-ips.png?largeur=1&hauteur=99999")
    assert narrow.status_code == 200
    assert png_size(narrow.get_data()) == (320 * 2, 2000 * 2)
    again = client.get("/embed/ecoles-ips.png?largeur=99999")
    assert again.get_data() == wide.get_data()
    assert Client(server.wsgi_app.app).get("/embed/ecoles-ips.png?largeur=99999").get_data() == wide.get_data()


@pytest.mark.browser
def test_image_works_again_once_a_browser_is_there(client, monkeypatch):
    import embeds.images

    url = "/embed/ecoles-brevet.png?largeur=640&secteur=prive"
    monkeypatch.setattr(embeds.images.shutil, "which", lambda *a, **k: None)
    assert client.get(url).status_code == 503
    monkeypatch.undo()
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert png_size(r.get_data())[0] == 640 * 2


@pytest.mark.browser
@pytest.mark.parametrize("fmt", [".png", ".svg"])
def test_odd_image_queries_never_500(client, fmt):
    for query in ["largeur=abc", "hauteur=-5", "largeur=99999", "largeur=" + "9" * 400, "hauteur=abc",
                  "largeur=%00", "largeur=" + quote("٣٠٠"), "secteur=public&secteur=prive&largeur=1",
                  "lang=en&theme=auto&hauteur=-5", "theme=dark&largeur=-0"]:
        r = client.get(f"/embed/ecoles-carte{fmt}", query_string=query)
        assert r.status_code in (200, 400), (fmt, query[:60], r.status_code, r.get_data()[:300])
        if r.status_code == 400:
            assert r.mimetype == "text/plain"
            assert "largeur" in r.get_data(as_text=True) or "hauteur" in r.get_data(as_text=True)


# --- 7. exports as the table shows them, filters and downloads (issue 14, items 4 and 6) -------

ISO_DAY_TEXT = r"\d{4}-\d{2}-\d{2}"


def shown_decimals(text: str, lang: str) -> int | None:
    """Decimals of the figure a table cell shows ('89,6 %' -> 1, '21 411' -> 0); None if it shows no figure."""
    decimal = "," if lang == "fr" else "."
    number = re.split(r"[\u202f\u00a0 ](?=\D)", text.strip(), maxsplit=1)[0]  # the unit after a space
    if not re.fullmatch(r"-?\d[\d\u202f\u00a0 ,.]*", number):
        return None
    return len(number.rsplit(decimal, 1)[1]) if decimal in number else 0


def view_table(server, slug: str, query: dict) -> dict:
    from embeds.request import parse_widget

    with server.test_request_context():
        w = parse_widget(slug, query)
        return w.chart.view(w.params, w.lang)["table"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_csv_figures_are_rounded_as_the_table_shows_them(client, server, slug, lang):
    table = view_table(server, slug, {"lang": lang})
    rows = csv_rows(client.get(f"/embed/{slug}.csv?lang={lang}"))[1:]
    assert len(rows) == len(table["raw"])
    checked = 0
    for csv_row, shown_row, raw_row in zip(rows, table["rows"], table["raw"]):
        for cell, shown, raw in zip(csv_row, shown_row, raw_row):
            if not isinstance(raw, (int, float)) or isinstance(raw, bool):
                continue
            decimals = shown_decimals(shown, lang)
            if decimals is None:  # '2021-2022', '–': the table shows no figure of its own
                continue
            assert re.fullmatch(r"-?\d+" + (rf"\.\d{{{decimals}}}" if decimals else ""), cell), \
                (slug, shown, raw, cell)
            # the raw value, or a share shown in percent, rounded to the decimals shown
            assert any(abs(float(cell) - scale * raw) <= 0.5 * 10 ** -decimals + 1e-9 for scale in (1, 100)), \
                (slug, shown, raw, cell)
            checked += 1
    numeric = sum(isinstance(v, (int, float)) and not isinstance(v, bool) for row in table["raw"] for v in row)
    assert checked > 0 or numeric == 0, slug


def test_csv_of_the_housing_stock_holds_the_figures_read_in_the_table(client, server):
    """The reported case: '21411.115268' and '89.5923494259358' in the CSV, '21 411' and '89,6 %' in the table."""
    table = view_table(server, "logement-parc", {})
    rows = csv_rows(client.get("/embed/logement-parc.csv"))
    raw = table["raw"][0]
    assert rows[1][2] == str(round(raw[2])) and rows[1][3] == f"{raw[3]:.1f}", rows[1]
    assert all(len(cell.split(".")[-1]) <= 1 for row in rows[1:] for cell in row[2:] if "." in cell), rows


def excel_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith(BOM), "the French spreadsheet CSV starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


@pytest.mark.parametrize("slug", SLUGS)
def test_csv_for_a_french_spreadsheet(client, slug):
    for query in ("", "&secteur=prive", "&lang=en"):
        plain = csv_rows(client.get(f"/embed/{slug}.csv?format=standard{query}"))
        r = client.get(f"/embed/{slug}.csv?format=excel-fr{query}")
        assert r.status_code == 200 and r.mimetype == "text/csv"
        assert r.headers["Content-Disposition"] == f'attachment; filename="{slug}-excel-fr.csv"'
        french = excel_rows(r)
        assert french[0] == plain[0] and len(french) == len(plain), (slug, query)
        assert ";" in r.get_data(as_text=True).splitlines()[0] or len(plain[0]) == 1
        for p_row, f_row in zip(plain[1:], french[1:]):
            assert len(f_row) == len(p_row), (slug, query, f_row)
            for p, f in zip(p_row, f_row):
                if re.fullmatch(r"-?\d+\.\d+", p):
                    assert f == p.replace(".", ","), (slug, p, f)  # decimal comma
                elif re.fullmatch(ISO_DAY_TEXT, p):
                    assert f == date.fromisoformat(p).strftime("%d/%m/%Y"), (slug, p, f)
                elif re.fullmatch(r"\d{4}-\d{2}", p):
                    year, month = p.split("-")
                    assert f.endswith(year) and not re.fullmatch(r"\d{4}-\d{2}", f), (slug, p, f)
                else:
                    assert f == p, (slug, p, f)
    assert client.get(f"/embed/{slug}.csv?format=excel-fr").headers["ETag"] != \
        client.get(f"/embed/{slug}.csv").headers["ETag"]


def test_plain_csv_keeps_iso_dates_and_the_french_one_writes_them_day_first(client):
    plain = csv_rows(client.get("/embed/frequentation-jours.csv"))
    french = excel_rows(client.get("/embed/frequentation-jours.csv?format=excel-fr"))
    assert re.fullmatch(ISO_DAY_TEXT, plain[1][0]), plain[1]
    year, month, day = plain[1][0].split("-")
    assert french[1][0] == f"{day}/{month}/{year}", french[1]


@pytest.mark.parametrize("lang", LANGS)
def test_csv_format_unknown_is_400_listing_the_allowed_ones(client, lang):
    r = client.get(f"/embed/ecoles-ips.csv?format=xls&lang={lang}")
    assert r.status_code == 400 and r.mimetype == "text/plain"
    message = r.get_data(as_text=True)
    assert "« format »" in message or "“format”" in message or "format" in message, message
    assert "standard, excel-fr" in message, message
    assert "xls" in message


def test_widget_table_writes_dates_in_words(client):
    plain = csv_rows(client.get("/embed/frequentation-jours.csv"))
    doc = Doc(client.get("/embed/frequentation-jours").get_data(as_text=True))
    first = [Doc.text(td) for td in doc.all("td")][0]
    d = date.fromisoformat(plain[1][0])
    assert re.fullmatch(rf"{d.day}(er)? {MONTHS_FR[d.month - 1]} {d.year}", first), first
    months = Doc(client.get("/embed/signalements-mois").get_data(as_text=True))
    year, month = csv_rows(client.get("/embed/signalements-mois.csv"))[1][0].split("-")
    assert [Doc.text(td) for td in months.all("td")][0] == f"{MONTHS_FR[int(month) - 1]} {year}"


def filters_text(client, url: str) -> list[str]:
    doc = Doc(client.get(url).get_data(as_text=True))
    return [Doc.text(p) for p in doc.all("p", cls="w-filters")]


def test_filtered_widget_says_it_is_filtered(client, db):
    assert filters_text(client, "/embed/ecoles-brevet?secteur=public") == ["Filtre : secteur public"]
    assert filters_text(client, "/embed/ecoles-brevet?secteur=public&lang=en") == ["Filter: sector public"]
    assert filters_text(client, "/embed/ecoles-brevet") == []
    assert filters_text(client, "/embed/ecoles-brevet?secteur=tous") == []  # the default is no filter
    names = {f["properties"]["CODE_IRIS"]: f["properties"]["NOM_IRIS"]
             for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"]}
    code = IRIS_CODES[0]
    assert filters_text(client, f"/embed/ecoles-ips?quartier={code}") == [f"Filtre : quartier {names[code]}"]
    assert filters_text(client, f"/embed/ecoles-ips?secteur=public&quartier={code}") == \
        [f"Filtres : secteur public ; quartier {names[code]}"]


def test_image_title_area_states_the_filters(client, monkeypatch):
    import embeds.images

    drawn = []

    def fake_render(figure, fmt, width, height, scale):  # the header: the first annotation above the plot
        drawn.append(next(a["text"] for a in figure["layout"]["annotations"] if a.get("y") == 1))
        return b"<svg/>"

    monkeypatch.setattr(embeds.images, "_render", fake_render)
    assert client.get("/embed/ecoles-brevet.svg?secteur=public&largeur=777").status_code == 200
    assert client.get("/embed/ecoles-brevet.svg?largeur=778").status_code == 200
    assert "Filtre : secteur public" in drawn[0], drawn
    assert "Filtre" not in drawn[1], drawn


@pytest.mark.parametrize("query", ["", "secteur=public", "secteur=prive&lang=en&theme=dark"])
def test_widget_links_to_its_image_and_data(client, query):
    doc = Doc(client.get(f"/embed/ecoles-brevet?{query}").get_data(as_text=True))
    links = {Doc.text(a): a["attrs"]["href"] for a in doc.all("a", inside=doc.one("p", cls="w-downloads"))}
    en = "lang=en" in query
    image = links["Download the image" if en else "Télécharger l'image"]
    data = links["Download the data" if en else "Télécharger les données"]
    excel = links["French Excel version" if en else "version pour Excel en français"]
    asked = parse_qs(query)
    assert urlsplit(image).path == "/embed/ecoles-brevet.png" and parse_qs(urlsplit(image).query) == asked
    data_query = {k: v for k, v in asked.items() if k != "theme"}
    assert urlsplit(data).path == "/embed/ecoles-brevet.csv" and parse_qs(urlsplit(data).query) == data_query
    assert parse_qs(urlsplit(excel).query) == {**data_query, "format": ["excel-fr"]}
    for href in (data, excel):
        r = client.get(htmllib.unescape(href))
        assert r.status_code == 200 and r.mimetype == "text/csv", href


@pytest.mark.parametrize("lang", LANGS)
def test_widget_image_alt_is_the_chart_text_alternative(client, server, lang):
    from webapp.charts import alternative

    for slug in SLUGS:
        with server.test_request_context():
            alt = alternative(REGISTRY[slug], lang)
        doc = Doc(client.get(f"/embed/{slug}?lang={lang}").get_data(as_text=True))
        assert [img["attrs"].get("alt") for img in doc.all("img")] == [alt, alt], slug  # the image, its noscript copy
