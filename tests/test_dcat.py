"""The DCAT-AP catalogue at /donnees/catalogue.{jsonld,ttl,rdf}: what data.gouv.fr's harvester reads.

Expected values come from the store's tables read directly (not through the catalogue module), from
data/sources/catalogue.json, and from the EU and IANA vocabularies written out here by hand.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlsplit

import pandas as pd
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from tests.helpers import read_source_json, second_app
from webapp.dcat import Period, parse_coverage

ROOT = "http://localhost/"  # the test client's default host
FEEDS = {"jsonld": "application/ld+json", "ttl": "text/turtle", "rdf": "application/rdf+xml"}
PARSERS = {"jsonld": "json-ld", "ttl": "turtle", "rdf": "xml"}
DCAT, DCTERMS = Namespace("http://www.w3.org/ns/dcat#"), Namespace("http://purl.org/dc/terms/")
FOAF, VCARD = Namespace("http://xmlns.com/foaf/0.1/"), Namespace("http://www.w3.org/2006/vcard/ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU = "http://publications.europa.eu/resource/authority/"
# The EU "frequency" authority table, every code (publications.europa.eu/resource/authority/frequency).
EU_FREQUENCY_CODES = {
    "UNKNOWN", "UPDATE_CONT", "1MIN", "5MIN", "10MIN", "15MIN", "30MIN", "HOURLY", "BIHOURLY", "TRIHOURLY",
    "12HRS", "CONT", "DAILY_3", "DAILY_2", "DAILY", "WEEKLY_5", "WEEKLY_3", "WEEKLY_2", "WEEKLY", "BIWEEKLY",
    "MONTHLY_3", "MONTHLY_2", "MONTHLY", "BIMONTHLY", "QUARTERLY", "ANNUAL_3", "ANNUAL_2", "ANNUAL", "BIENNIAL",
    "TRIENNIAL", "QUADRENNIAL", "QUINQUENNIAL", "DECENNIAL", "BIDECENNIAL", "TRIDECENNIAL", "AS_NEEDED", "IRREG",
    "NEVER", "NOT_PLANNED", "OTHER", "OP_DATPRO",
}
# The EU "data-theme" table (DCAT-AP's themes).
EU_THEMES = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH",
             "TRAN", "OP_DATPRO"}
# The file types this site may serve, in the EU "file-type" table and in IANA's media-type registry.
EU_FILE_TYPES = {"CSV", "JSON", "XLSX", "XLS", "GEOJSON", "ZIP", "TXT"}
IANA = "https://www.iana.org/assignments/media-types/"
IANA_TYPES = {"text/csv", "application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "application/vnd.ms-excel", "application/geo+json", "application/zip", "text/plain",
              "application/octet-stream"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the coverage parser ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "start", "end"), [
    ("2020", date(2020, 1, 1), date(2020, 12, 31)),
    ("2021-2022", date(2021, 1, 1), date(2022, 12, 31)),
    ("2016-2022", date(2016, 1, 1), date(2022, 12, 31)),
    ("2016 – 2025", date(2016, 1, 1), date(2025, 12, 31)),
    ("2016 - 2025", date(2016, 1, 1), date(2025, 12, 31)),
    ("2016–2025", date(2016, 1, 1), date(2025, 12, 31)),
    ("2024-12 – 2025-12", date(2024, 12, 1), date(2025, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-02 – 2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ("2016-01-04 – 2025-12-30", date(2016, 1, 4), date(2025, 12, 30)),
    ("2024-12-01T00:00:00+01:00 – 2025-12-31T23:00:00+01:00", date(2024, 12, 1), date(2025, 12, 31)),
    ("2021-2022 – 2023-2024", date(2021, 1, 1), date(2024, 12, 31)),
    ("2016-01-01/2025-12-31", date(2016, 1, 1), date(2025, 12, 31)),
    ("2014-Q1 – 2025-Q3", date(2014, 1, 1), date(2025, 9, 30)),
    ("  2019  ", date(2019, 1, 1), date(2019, 12, 31)),
])
def test_coverage_parser(text, start, end):
    assert parse_coverage(text) == Period(start, end)


@pytest.mark.parametrize("text", [
    None, "", "   ", "n.c.", "depuis 2016", "2016 – ", " – 2016", "2025 – 2016", "2022-2016", "2024-13",
    "2023-02-30", "2016 – 2020 – 2025", "20161", "2016-1", 2020, "01/12/2024",
])
def test_coverage_parser_gives_none_without_raising(text):
    assert parse_coverage(text) is None


def _check_period_against_text(text: str, period: Period | None) -> list[str]:
    """The years (and months when written) of a coverage string, read with a plain regex."""
    if period is None:
        return [f"{text!r} did not parse"]
    days = re.findall(r"\d{4}-\d{2}-\d{2}", text)
    if days:  # a coverage computed from a file's dates or date-times
        expected = (date.fromisoformat(days[0]), date.fromisoformat(days[-1]))
        return [] if (period.start, period.end) == expected else [f"{text!r}: {period}"]
    years = re.findall(r"(?<!\d)\d{4}(?!\d)", text)
    months = re.findall(r"(?<!\d)\d{4}-(\d{2})(?!\d)", text)
    problems = []
    if (period.start.year, period.end.year) != (int(years[0]), int(years[-1])):
        problems.append(f"{text!r}: years {period.start.year}-{period.end.year}")
    first_month, last_month = (int(months[0]), int(months[-1])) if months else (1, 12)
    if (period.start.month, period.start.day) != (first_month, 1) or period.end.month != last_month:
        problems.append(f"{text!r}: {period}")
    if (period.end + timedelta(days=1)).day != 1:
        problems.append(f"{text!r}: the end {period.end} is not the last day of its month")
    return problems


def test_every_coverage_shape_of_the_shipped_catalogue_parses():
    texts = sorted({d["coverage"] for d in read_source_json("catalogue.json")["datasets"]})
    assert len(texts) >= 5  # "2020", "2021-2022", "2016-2022", "2016 – 2025", "2024-12 – 2025-12"…
    assert [p for t in texts for p in _check_period_against_text(t, parse_coverage(t))] == []


def test_every_stored_coverage_parses(db):
    texts = set(db.query_df("SELECT coverage FROM dataset")["coverage"])
    texts |= set(db.query_df("SELECT coverage FROM dataset_version WHERE coverage IS NOT NULL")["coverage"])
    assert [p for t in sorted(texts) for p in _check_period_against_text(t, parse_coverage(t))] == []


# --- the feeds -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def feeds(server):
    client = server.test_client()
    return {ext: client.get(f"/donnees/catalogue.{ext}") for ext in FEEDS}


@pytest.fixture(scope="module")
def graph(feeds) -> Graph:
    return Graph().parse(data=feeds["jsonld"].get_data(as_text=True), format="json-ld")


@pytest.fixture(scope="module")
def store(db) -> dict:
    """The dataset and published version tables, read directly."""
    datasets = db.query_df("SELECT slug, title_fr, licence_url, frequency, coverage, version, is_demo FROM dataset")
    versions = db.query_df("SELECT dataset_slug, version, published_at, row_count, file_name FROM dataset_version "
                           "WHERE status = 'published'")
    out = {}
    for row in datasets.to_dict("records"):
        mine = versions[versions["dataset_slug"] == row["slug"]]
        served = mine[mine["version"] == row["version"]].to_dict("records")
        out[row["slug"]] = {**row, "is_demo": bool(row["is_demo"]), "served": served[0] if served else None,
                            "first_published": min((_utc(t) for t in mine["published_at"]), default=None)}
    return out


def _utc(value) -> datetime:
    moment = pd.Timestamp(value).to_pydatetime()
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _dataset_node(graph: Graph, slug: str) -> URIRef | None:
    return graph.value(predicate=DCAT.landingPage, object=URIRef(f"{ROOT}donnees#jeu-{slug}"))


def _lang_values(graph: Graph, node, prop) -> dict[str, str]:
    return {o.language: str(o) for o in graph.objects(node, prop) if isinstance(o, Literal)}


def _distributions(graph: Graph, node) -> list[dict]:
    out = []
    for dist in graph.objects(node, DCAT.distribution):
        out.append({"node": dist, "download": graph.value(dist, DCAT.downloadURL),
                    "access": graph.value(dist, DCAT.accessURL), "media": graph.value(dist, DCAT.mediaType),
                    "format": graph.value(dist, DCTERMS["format"]), "licence": graph.value(dist, DCTERMS.license),
                    "size": graph.value(dist, DCAT.byteSize), "title": _lang_values(graph, dist, DCTERMS.title)})
    return out


def _path(url) -> str:
    parts = urlsplit(str(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("ext", FEEDS)
def test_feed_headers(feeds, ext):
    r = feeds[ext]
    assert r.status_code == 200
    assert r.mimetype == FEEDS[ext]
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.cache_control.public and r.cache_control.max_age == 300


def test_the_three_serialisations_describe_the_same_graph(feeds, graph):
    graphs = {ext: Graph().parse(data=feeds[ext].get_data(as_text=True), format=PARSERS[ext]) for ext in FEEDS}
    assert len(graph) > 500
    assert {ext: len(g) for ext, g in graphs.items()} == {ext: len(graph) for ext in FEEDS}
    assert isomorphic(graphs["ttl"], graphs["jsonld"]) and isomorphic(graphs["rdf"], graphs["jsonld"])


def test_jsonld_has_a_compact_context(feeds):
    doc = json.loads(feeds["jsonld"].get_data(as_text=True))
    assert {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#"}.items() <= doc["@context"].items()
    keys = {k for node in doc["@graph"] for k in node}
    assert "dct:title" in keys and "dcat:distribution" in keys
    assert [k for k in keys if k.startswith("http")] == []  # every property compacted


@pytest.mark.parametrize(("path", "endpoint"), [
    ("/donnees/catalogue.jsonld", "dcat.catalogue_feed"),
    ("/donnees/catalogue.ttl", "dcat.catalogue_feed"),
    ("/donnees/catalogue.rdf", "dcat.catalogue_feed"),
    ("/donnees/dvf.csv", "site.dataset_records"),
    ("/donnees/catalogue.csv", "site.dataset_records"),
])
def test_the_catalogue_routes_win_over_the_dataset_downloads(server, path, endpoint):
    assert server.url_map.bind("localhost").match(path)[0] == endpoint


def test_catalog(graph, store, settings):
    (cat,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert _lang_values(graph, cat, DCTERMS.title)["fr"] == f"{settings.city_name} en données"
    assert _lang_values(graph, cat, DCTERMS.description)["fr"]
    publisher = graph.value(cat, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert str(graph.value(publisher, FOAF.name)) == settings.publisher
    assert graph.value(cat, FOAF.homepage) == URIRef(f"{ROOT}donnees")
    assert graph.value(cat, DCTERMS.language) == URIRef(EU + "language/FRA")
    assert graph.value(cat, DCTERMS.issued).datatype == XSD.dateTime
    assert graph.value(cat, DCTERMS.modified).toPython() >= graph.value(cat, DCTERMS.issued).toPython()
    assert set(graph.objects(cat, DCAT.dataset)) == {_dataset_node(graph, slug) for slug in store}
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == len(store)


def test_every_dataset_carries_what_the_harvester_reads(graph, store, settings):
    problems = []
    for slug, row in sorted(store.items()):
        node = _dataset_node(graph, slug)
        if node is None:
            problems.append(f"{slug}: no dataset with landing page {ROOT}donnees#jeu-{slug}")
            continue
        problems += [f"{slug}: {p}" for p in _dataset_problems(graph, node, row, settings)]
    assert problems == []


def _dataset_problems(graph: Graph, node, row: dict, settings) -> list[str]:
    if row["served"] is None:
        return ["no published version"]
    problems = []
    titles, descriptions = _lang_values(graph, node, DCTERMS.title), _lang_values(graph, node, DCTERMS.description)
    if not (titles.get("fr") and titles.get("en") and row["title_fr"] in titles["fr"]):
        problems.append(f"titles {titles}")
    if not (descriptions.get("fr") and descriptions.get("en")):
        problems.append(f"descriptions {descriptions}")
    keywords = {str(k) for k in graph.objects(node, DCAT.keyword)}
    if settings.city_name not in keywords:
        problems.append(f"keywords {keywords}")
    if graph.value(node, DCTERMS.license) != URIRef(row["licence_url"]):
        problems.append(f"licence {graph.value(node, DCTERMS.license)}")
    if str(graph.value(node, DCTERMS.identifier) or "") != f"{ROOT}donnees#jeu-{row['slug']}":
        problems.append(f"identifier {graph.value(node, DCTERMS.identifier)}")
    themes = set(graph.objects(node, DCAT.theme))
    if not themes or not {str(t) for t in themes} <= {f"{EU}data-theme/{c}" for c in EU_THEMES}:
        problems.append(f"themes {themes}")
    frequency = str(graph.value(node, DCTERMS.accrualPeriodicity))
    if frequency != f"{EU}frequency/{row['frequency']}" or frequency.rsplit("/", 1)[1] not in EU_FREQUENCY_CODES:
        problems.append(f"frequency {frequency}")
    problems += _temporal_problems(graph, node, row["coverage"])
    problems += _date_problems(graph, node, row)
    if graph.value(node, DCAT.contactPoint) is None or not str(
            graph.value(graph.value(node, DCAT.contactPoint), VCARD.hasEmail)).startswith("mailto:"):
        problems.append("no contact point with an email")
    if graph.value(graph.value(node, DCTERMS.creator), FOAF.name) is None:
        problems.append("no creator")
    problems += _distribution_problems(graph, node, row)
    return problems


def _temporal_problems(graph: Graph, node, coverage: str) -> list[str]:
    period = graph.value(node, DCTERMS.temporal)
    if period is None or (period, RDF.type, DCTERMS.PeriodOfTime) not in graph:
        return ["no dct:PeriodOfTime"]
    start, end = graph.value(period, DCAT.startDate), graph.value(period, DCAT.endDate)
    if start is None or start.datatype != XSD.date or end is None or end.datatype != XSD.date:
        return [f"period {start!r} {end!r}"]
    years = re.findall(r"\d{4}", coverage)
    if (start.toPython().year, end.toPython().year) != (int(years[0]), int(years[-1])):
        return [f"period {start} – {end} for the coverage {coverage!r}"]
    return []


def _date_problems(graph: Graph, node, row: dict) -> list[str]:
    issued, modified = graph.value(node, DCTERMS.issued), graph.value(node, DCTERMS.modified)
    if issued is None or modified is None:
        return [f"issued {issued} modified {modified}"]
    problems = []
    if abs(_utc(issued.toPython()) - row["first_published"]) > timedelta(seconds=1):
        problems.append(f"issued {issued} against {row['first_published']}")
    if abs(_utc(modified.toPython()) - _utc(row["served"]["published_at"])) > timedelta(seconds=1):
        problems.append(f"modified {modified} against {row['served']['published_at']}")
    return problems


def _distribution_problems(graph: Graph, node, row: dict) -> list[str]:
    dists, slug = _distributions(graph, node), row["slug"]
    problems = []
    for d in dists:
        if not str(d["download"]).startswith(ROOT) or d["access"] is None:
            problems.append(f"download {d['download']} access {d['access']}")
        if not str(d["media"]).startswith(IANA) or str(d["media"])[len(IANA):] not in IANA_TYPES:
            problems.append(f"media type {d['media']}")
        if d["format"] is not None and str(d["format"]) not in {f"{EU}file-type/{c}" for c in EU_FILE_TYPES}:
            problems.append(f"format {d['format']}")
        if d["licence"] != URIRef(row["licence_url"]) or not d["title"].get("fr"):
            problems.append(f"licence {d['licence']} title {d['title']}")
    exports = {"csv": "text/csv", "json": "application/json", "xlsx": XLSX}
    for d in dists:
        ext = _path(d["download"]).rsplit(".", 1)[-1]
        if _path(d["download"]) == f"/donnees/{slug}.{ext}" and (
                str(d["media"]) != IANA + exports.get(ext, "?") or str(d["format"]) != f"{EU}file-type/{ext.upper()}"):
            problems.append(f"{ext} download typed {d['media']} {d['format']}")
    urls = {_path(d["download"]) for d in dists}
    original = f"/donnees/{slug}/{quote(row['served']['file_name'])}"
    expected = {f"/donnees/{slug}.csv", f"/donnees/{slug}.json", original}
    if not expected <= urls or not urls <= expected | {f"/donnees/{slug}.xlsx"}:
        problems.append(f"distributions {sorted(urls)}")
    return problems


def test_each_csv_download_has_the_served_row_count(graph, store, server):
    client, problems = server.test_client(), []
    for slug, row in sorted(store.items()):
        csvs = [d for d in _distributions(graph, _dataset_node(graph, slug)) if str(d["media"]) == IANA + "text/csv"
                and _path(d["download"]) == f"/donnees/{slug}.csv"]
        if len(csvs) != 1:
            problems.append(f"{slug}: {len(csvs)} CSV downloads")
            continue
        r = client.get(_path(csvs[0]["download"]))
        records = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
        if r.status_code != 200 or len(records) - 1 != row["served"]["row_count"]:
            problems.append(f"{slug}: {r.status_code}, {len(records) - 1} rows for {row['served']['row_count']}")
    assert problems == []


def test_each_original_file_answers_with_its_byte_size(graph, store, server):
    client, problems = server.test_client(), []
    for slug, row in sorted(store.items()):
        url = f"/donnees/{slug}/{quote(row['served']['file_name'])}"
        (dist,) = [d for d in _distributions(graph, _dataset_node(graph, slug)) if _path(d["download"]) == url]
        r = client.get(url)
        if r.status_code != 200 or dist["size"] is None or int(dist["size"].toPython()) != len(r.data):
            problems.append(f"{slug}: {r.status_code}, {len(r.data)} bytes, byteSize {dist['size']}")
    assert problems == []


def test_small_datasets_offer_a_working_xlsx(graph, store, server):
    client = server.test_client()
    small = [slug for slug, row in store.items() if row["served"]["row_count"] <= 500]
    assert small
    for slug in small:
        (xlsx,) = [d for d in _distributions(graph, _dataset_node(graph, slug)) if str(d["media"]) == IANA + XLSX]
        assert str(xlsx["format"]) == f"{EU}file-type/XLSX"
        r = client.get(_path(xlsx["download"]))
        assert r.status_code == 200 and r.mimetype == XLSX and r.data[:2] == b"PK"


def test_demo_datasets_are_marked_and_official_ones_are_not(graph, store):
    assert any(row["is_demo"] for row in store.values()) and not all(row["is_demo"] for row in store.values())
    synthetic = URIRef(f"{EU}dataset-type/SYNTHETIC_DATA")
    for slug, row in store.items():
        node = _dataset_node(graph, slug)
        titles, descriptions = _lang_values(graph, node, DCTERMS.title), _lang_values(graph, node, DCTERMS.description)
        marks = {
            "title fr": titles["fr"].startswith("Données de démonstration"),
            "title en": titles["en"].startswith("Demo data"),
            "description fr": descriptions["fr"].startswith("Données de démonstration"),
            "description en": descriptions["en"].startswith("Demo data"),
            "keyword": Literal("données de démonstration", lang="fr") in set(graph.objects(node, DCAT.keyword)),
            "type": (node, DCTERMS.type, synthetic) in graph,
        }
        assert marks == dict.fromkeys(marks, row["is_demo"]), slug


# --- absolute URLs, proxies, caching ---------------------------------------------------------------

def _download_urls(body: str) -> set[str]:
    g = Graph().parse(data=body, format="json-ld")
    return {str(o) for o in g.objects(None, DCAT.downloadURL)} | {str(o) for o in g.objects(None, DCAT.landingPage)}


def test_urls_follow_the_request_host_and_each_host_is_cached_apart(server):
    client = server.test_client()
    other = client.get("/donnees/catalogue.jsonld", base_url="https://donnees.example.org")
    assert other.status_code == 200
    urls = _download_urls(other.get_data(as_text=True))
    assert urls and all(u.startswith("https://donnees.example.org/donnees") for u in urls)
    here = _download_urls(client.get("/donnees/catalogue.jsonld").get_data(as_text=True))
    assert here and all(u.startswith(f"{ROOT}donnees") for u in here)


def test_urls_follow_the_forwarded_host_behind_a_trusted_proxy(app, settings):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "opendata.arras.example"}
    with second_app(app, settings, trusted_proxies=1) as proxied:
        body = proxied.server.test_client().get("/donnees/catalogue.jsonld", headers=forwarded).get_data(as_text=True)
    urls = _download_urls(body)
    assert urls and all(u.startswith("https://opendata.arras.example/donnees") for u in urls)
    direct = app.server.test_client().get("/donnees/catalogue.jsonld", headers=forwarded).get_data(as_text=True)
    assert all(u.startswith(f"{ROOT}donnees") for u in _download_urls(direct))  # no proxy declared: ignored


def test_the_serialisation_is_cached(server, monkeypatch):
    from webapp import dcat

    calls = []
    real = dcat.build_graph
    monkeypatch.setattr(dcat, "build_graph", lambda root: calls.append(root) or real(root))
    client = server.test_client()
    first = client.get("/donnees/catalogue.ttl", base_url="http://cache.example")
    again = client.get("/donnees/catalogue.ttl", base_url="http://cache.example")
    assert first.status_code == again.status_code == 200 and first.data == again.data
    assert calls == ["http://cache.example/"]


def test_etag_answers_not_modified(server):
    client = server.test_client()
    first = client.get("/donnees/catalogue.jsonld")
    assert first.headers.get("ETag")
    again = client.get("/donnees/catalogue.jsonld", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_configured_site_url_fixes_the_identifiers_whatever_the_host(app, settings):
    with second_app(app, settings, site_url="https://donnees.arras.example/") as configured:
        body = configured.server.test_client().get("/donnees/catalogue.jsonld",
                                                   base_url="http://other.example").get_data(as_text=True)
    urls = _download_urls(body)
    assert urls and all(u.startswith("https://donnees.arras.example/donnees") for u in urls)
    assert "other.example" not in body
