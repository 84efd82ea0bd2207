"""Plain Flask routes: chart CSVs, shipped source files, fingerprinted assets, headers."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re

import brotli
import pytest

from tests.helpers import FORMULA_START, ROOT, SOURCES, formula_cells, read_source_json
from webapp.charts import REGISTRY, Chart
from embeds.views import safe_cell
from webapp.pages import PAGES

SLUGS = sorted(REGISTRY)
BOM = "\ufeff"


def _csv_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[1:])))


def _view_table(server, slug: str, args: dict, lang: str = "fr") -> dict:
    chart = REGISTRY[slug]
    with server.test_request_context():
        return chart.view(chart.parse(args), lang)["table"]


def test_registry_has_the_schools_charts():
    assert len(SLUGS) >= 5
    assert all(REGISTRY[s].story == "ecoles" for s in SLUGS if s.startswith("ecoles-"))


@pytest.mark.parametrize("slug", SLUGS)
def test_chart_csv_matches_the_view_table(client, server, slug):
    r = client.get(f"/embed/{slug}.csv")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    assert r.get_data().startswith(BOM.encode("utf-8"))  # Excel reads UTF-8 with a BOM
    assert f"{slug}.csv" in r.headers.get("Content-Disposition", "")
    rows = _csv_rows(r)
    table = _view_table(server, slug, {})
    assert rows[0] == table["columns"]
    assert len(rows) - 1 == len(table["rows"])
    assert len(rows) > 1, "every chart has data for Arras"
    assert all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("slug", SLUGS)
def test_chart_csv_in_english(client, server, slug):
    rows = _csv_rows(client.get(f"/embed/{slug}.csv?lang=en"))
    assert rows[0] == _view_table(server, slug, {}, "en")["columns"]


@pytest.mark.parametrize("slug", SLUGS)
def test_chart_csv_follows_the_filters(client, server, slug):
    everything = _csv_rows(client.get(f"/embed/{slug}.csv"))
    private = client.get(f"/embed/{slug}.csv?secteur=prive")
    assert private.status_code == 200
    rows = _csv_rows(private)
    assert len(rows) <= len(everything)
    assert len(rows) - 1 == len(_view_table(server, slug, {"secteur": "prive"})["rows"])


def test_private_filter_removes_public_rows(client):
    rows = _csv_rows(client.get("/embed/ecoles-brevet.csv?secteur=prive"))
    sector = rows[0].index("Secteur")
    assert {r[sector] for r in rows[1:]} == {"privé sous contrat"}  # the CSV names the sector as the table does
    everything = _csv_rows(client.get("/embed/ecoles-brevet.csv"))
    assert len(rows) < len(everything)


@pytest.mark.parametrize("slug", SLUGS)
def test_chart_csv_bad_parameter_is_400_plain_text(client, slug):
    for param in REGISTRY[slug].params:  # a value none of them allows
        r = client.get(f"/embed/{slug}.csv?{param.name}=autre")
        assert r.status_code == 400, param.name
        assert r.mimetype == "text/plain"
        body = r.get_data(as_text=True)
        assert f"« {param.name} »" in body
        assert "Valeurs possibles" in body


def test_unknown_chart_is_404_listing_the_slugs(client):
    r = client.get("/embed/inconnu.csv")
    assert r.status_code == 404
    assert r.mimetype == "text/plain"
    body = r.get_data(as_text=True)
    for slug in SLUGS:
        assert slug in body


def test_safe_cell_neutralises_formulas():
    for formula in ("=1+1", "+1+1", "-1+1", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "\t=1", "\r=1"):
        cell = safe_cell(formula)
        assert isinstance(cell, str) and not cell.startswith(FORMULA_START), cell
        assert cell.endswith(formula.lstrip("\t\r")) or formula in cell
    assert safe_cell("Collège Gambetta") == "Collège Gambetta"
    assert safe_cell(42) == 42
    assert safe_cell(None) is None


@pytest.mark.parametrize("slug", SLUGS)
def test_real_csvs_hold_no_formula(client, slug):
    for query in ("", "?secteur=prive", "?lang=en"):
        assert formula_cells(_csv_rows(client.get(f"/embed/{slug}.csv{query}"))) == []


def test_csv_neutralises_formulas_coming_from_the_data(client, monkeypatch):
    hostile = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "=HYPERLINK(\"http://evil\")"]

    def view(params, lang):
        raw = [[v, -5.0, "ok"] for v in hostile]
        return {"figure": {}, "summary": "", "table": {"columns": ["a", "b", "c"], "rows": raw, "raw": raw}}

    chart = Chart(slug="test-injection", story="test", story_path="/", kind="bar", title={"fr": "t", "en": "t"},
                  datasets=(), depends=(), params=(), parse=lambda args: None, view=view)
    monkeypatch.setitem(REGISTRY, chart.slug, chart)
    rows = _csv_rows(client.get("/embed/test-injection.csv"))
    assert formula_cells(rows) == []
    first_column = [r[0] for r in rows[1:]]
    assert len(first_column) == len(hostile)
    for cell, original in zip(first_column, hostile):
        assert original in cell and cell != original
    assert [r[1] for r in rows[1:]] == ["-5.0"] * len(hostile)  # numbers stay numbers


# --- shipped source files ----------------------------------------------------------------------

CATALOGUE = read_source_json("catalogue.json")["datasets"]
SOURCE_FILES = [(d["slug"], rel) for d in CATALOGUE for rel in d.get("files", {}).values()]


@pytest.mark.parametrize(("slug", "rel"), SOURCE_FILES, ids=[s for s, _ in SOURCE_FILES])
def test_source_file_download(client, slug, rel):
    from webapp.data.publishing import SCHEMA_COLUMNS_ONLY

    name = rel.rsplit("/", 1)[-1]
    if slug in SCHEMA_COLUMNS_ONLY:  # the export's other columns (free text, personal data) were never kept
        name = name.rsplit(".", 1)[0] + ".csv"
    r = client.get(f"/donnees/{slug}/{name}")
    assert r.status_code == 200
    assert "attachment" in r.headers.get("Content-Disposition", "")
    if slug not in SCHEMA_COLUMNS_ONLY:
        assert r.get_data() == (SOURCES / rel).read_bytes()
        return
    kept = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    shipped = list(csv.reader(io.StringIO((SOURCES / rel).read_text(encoding="utf-8-sig")), delimiter=";"))
    names = [f["name"] for f in read_source_json(f"../schemas/{slug}.json")["fields"]]
    assert kept[0] == names and len(kept) == len(shipped)
    assert set(shipped[0]) - set(names)  # the shipped export has more columns than the schema…
    assert [row[0] for row in kept[1:]] == [row[shipped[0].index(names[0])] for row in shipped[1:]]  # …same rows


def test_opendata_page_links_each_source_file(client):
    html = client.get("/donnees").get_data(as_text=True)
    for slug, rel in SOURCE_FILES:
        assert f'href="/donnees/{slug}/{rel.rsplit("/", 1)[-1]}"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/donnees/iris-contours/../catalogue.json",
        "/donnees/iris-contours/..%2Fcatalogue.json",
        "/donnees/iris-contours/%2e%2e%2fcatalogue.json",
        "/donnees/iris-contours/..%2F..%2F..%2Fwebapp%2Fsettings.py",
        "/donnees/..%2F..%2Fwebapp/settings.py",
        "/donnees/iris-contours/catalogue.json",
        "/donnees/iris-contours/commune-62041-arras.geojson",  # shipped, but not a catalogue file
        "/donnees/iris-contours/colleges-ips-2023-dep62.csv",  # another dataset's file
        "/donnees/inconnu/iris-2020-arras-62041.geojson",
        "/donnees/iris-contours/%00",
    ],
)
def test_source_file_refuses_other_paths(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert b"ROOT" not in r.get_data() and b"SettingsError" not in r.get_data()


# --- fingerprinted assets ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def asset_urls(server):
    html = server.test_client().get("/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/s/[0-9a-f]+/[^"]+)"', html)
    assert urls
    return urls


def _asset_url(asset_urls, name: str) -> str:
    matches = [u for u in asset_urls if u.endswith("/" + name)]
    assert len(matches) == 1, (name, asset_urls)
    return matches[0]


def test_page_references_fingerprinted_assets(asset_urls):
    for name in ("css/site.css", "js/site.js", "vendor/theme.min.css", "favicon.svg"):
        _asset_url(asset_urls, name)


def test_asset_brotli_immutable(client, asset_urls):
    url = _asset_url(asset_urls, "css/site.css")
    r = client.get(url, headers={"Accept-Encoding": "br"})
    assert r.status_code == 200
    assert "immutable" in r.headers["Cache-Control"]
    assert "max-age=" in r.headers["Cache-Control"]
    assert r.headers.get("Content-Encoding") == "br"
    assert "Accept-Encoding" in r.headers.get("Vary", "")
    assert brotli.decompress(r.get_data()) == (ROOT / "assets" / "css" / "site.css").read_bytes()
    assert r.mimetype == "text/css"


def test_asset_gzip_and_identity(client, asset_urls):
    url = _asset_url(asset_urls, "js/site.js")
    original = (ROOT / "assets" / "js" / "site.js").read_bytes()
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(gz.get_data()) == original
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.headers.get("Content-Encoding") in (None, "identity")
    assert plain.get_data() == original
    assert "immutable" in plain.headers["Cache-Control"]


def test_every_page_asset_is_served(client, asset_urls):
    for url in asset_urls:
        r = client.get(url)
        assert r.status_code == 200, url
        name = url.split("/", 3)[3]
        assert r.get_data() == (ROOT / "assets" / name).read_bytes(), url


def test_asset_with_wrong_digest_is_404(client, asset_urls):
    url = _asset_url(asset_urls, "css/site.css")
    digest = url.split("/")[2]
    wrong = "0" * len(digest) if digest != "0" * len(digest) else "1" * len(digest)
    assert client.get(url.replace(digest, wrong)).status_code == 404
    assert client.get("/s/" + digest + "/css/missing.css").status_code == 404
    assert client.get("/s/" + digest + "/../webapp/settings.py").status_code == 404
    assert client.get("/s/" + digest + "/..%2F..%2Fwebapp%2Fsettings.py").status_code == 404


def test_plotly_bundle_is_the_basic_one(asset_urls, client):
    html = client.get("/ecoles").get_data(as_text=True)
    match = re.search(r'"(/s/[0-9a-f]+/vendor/plotly-basic-fr\.min\.js)"', html)
    assert match, "the page points Dash at the basic plotly bundle"
    assert client.get(match.group(1)).status_code == 200


# --- headers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("path", ["/", "/ecoles"])
def test_html_pages_are_compressed(client, path, encoding):
    r = client.get(path, headers={"Accept-Encoding": encoding})
    assert r.status_code == 200
    assert r.headers.get("Content-Encoding") == encoding
    body = gzip.decompress(r.get_data()) if encoding == "gzip" else brotli.decompress(r.get_data())
    assert b"<html" in body and b"</html>" in body


def test_csv_is_compressed_when_accepted(client):
    r = client.get("/embed/ecoles-ips.csv", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(r.get_data()).decode("utf-8").startswith(BOM)


@pytest.mark.parametrize("path", list(PAGES) + ["/nope", "/ecoles?niveau=xx", "/donnees/iris-contours/x"])
def test_non_embed_pages_forbid_foreign_framing(client, path):
    r = client.get(path)
    assert "frame-ancestors 'self'" in r.headers.get("Content-Security-Policy", "")
    assert r.headers.get("X-Content-Type-Options") == "nosniff"


def test_robots_txt(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200
    assert r.mimetype == "text/plain"
    assert "User-agent:" in r.get_data(as_text=True)


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_data(as_text=True).strip() == "ok"


# --- the staff guide ---------------------------------------------------------------------------

def test_embed_guide_is_a_page_of_the_site(client):
    guide = (ROOT / "docs" / "integrer-un-graphique.md").read_text(encoding="utf-8")
    r = client.get("/aide/integrer-un-graphique")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert f"<h1>{guide.splitlines()[0].lstrip('# ').strip()}</h1>" in html
    images = re.findall(r'src="(/aide/img/[^"]+)"', html)
    assert len(images) == guide.count("](img/")
    for src in images:
        assert client.get(src).status_code == 200, src
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]  # Markdown, no raw HTML
    assert client.get("/aide/inconnu").status_code == 404
    assert client.get("/aide/img/..%2F..%2Fpyproject.toml").status_code == 404


def test_embed_guide_is_linked_from_every_page(client):
    for path in PAGES:
        assert "/aide/integrer-un-graphique" in client.get(path).get_data(as_text=True), path


@pytest.mark.parametrize("slug", SLUGS)
def test_a_widgets_payload_is_strict_json(client, slug):
    # Browsers' JSON.parse refuses NaN: a missing value must be null, or the chart never draws.
    page = client.get(f"/embed/{slug}").get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="w-payload">(.*?)</script>', page, re.DOTALL)
    assert found, slug

    def refuse(constant):
        raise ValueError(f"{constant} in the payload of {slug}")

    payload = json.loads(found.group(1), parse_constant=refuse)
    assert payload["figure"]["data"], slug
