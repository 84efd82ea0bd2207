"""The catalogue at /donnees over HTTP: every dataset downloadable in every format with the row count
the store recorded, past versions, the data dictionary from each Table Schema, search and themes."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from tests.helpers import parse_page, read_source_json, republish, serve_again, stored_file

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"


def store_rows(db) -> dict[str, tuple[int, int, bool]]:
    """slug -> (served version, its row count, is_demo), read from the store's tables."""
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT d.slug, d.version, v.row_count, d.is_demo FROM dataset d JOIN dataset_version v "
            "ON v.dataset_slug = d.slug AND v.version = d.version")).all()
    return {r.slug: (r.version, r.row_count, bool(r.is_demo)) for r in rows}


class CodeTexts(HTMLParser):
    """The texts of a page's <code> elements (the field names of the data dictionaries)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.codes: list[str] = []
        self._open = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "code":
            self._open, self.codes = True, [*self.codes, ""]

    def handle_endtag(self, tag):
        self._open = self._open and tag != "code"

    def handle_data(self, data):
        if self._open:
            self.codes[-1] += data


def csv_records(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_every_dataset_downloads_in_every_format_with_the_stored_row_count(client, db):
    served = store_rows(db)
    assert len(served) >= 19
    for slug, (version, rows, _) in served.items():
        names = [f["name"] for f in json.loads((SCHEMAS / f"{slug}.json").read_text(encoding="utf-8"))["fields"]]
        r = client.get(f"/donnees/{slug}.csv")
        assert r.status_code == 200, slug
        assert r.headers["Content-Disposition"] == f'attachment; filename="{slug}-v{version}.csv"'
        records = csv_records(r.data)
        assert len(records) == rows, slug
        assert list(records[0]) == names, slug
        r = client.get(f"/donnees/{slug}.json")
        assert r.status_code == 200 and r.mimetype == "application/json", slug
        assert len(json.loads(r.data)) == rows, slug
        r = client.get(f"/donnees/{slug}.xlsx")
        if rows <= 100_000:
            assert r.status_code == 200, slug
            sheet = openpyxl.load_workbook(io.BytesIO(r.data), read_only=True).active
            assert sheet.max_row == rows + 1, slug  # the header line, then one line per record
        else:  # too big for a spreadsheet: said, not a 500
            assert r.status_code == 404 and "CSV" in r.text, slug


def test_json_values_are_typed_by_the_schema(client):
    records = json.loads(client.get("/donnees/dvf.json").data)
    sample = next(r for r in records if r["valeur_fonciere"] is not None and r["surface_reelle_bati"] is not None)
    assert isinstance(sample["valeur_fonciere"], float)  # "number" in the schema
    assert isinstance(sample["id_mutation"], str)
    raw = csv_records(client.get("/donnees/dvf.csv").data)
    assert [r["id_mutation"] for r in raw[:50]] == [r["id_mutation"] for r in records[:50]]


def test_a_past_version_stays_downloadable_with_its_own_rows(client, db):
    content, name = stored_file(db, "iris-contours")
    first = store_rows(db)["iris-contours"][0]
    features = json.loads(content)
    features["features"] = features["features"][:-1]  # one IRIS fewer
    second = republish(db, "iris-contours", json.dumps(features).encode(), name)
    try:
        assert len(csv_records(client.get("/donnees/iris-contours.csv").data)) == 15
        old = client.get(f"/donnees/iris-contours.csv?version={first}")
        assert old.status_code == 200 and len(csv_records(old.data)) == 16
        assert client.get(f"/donnees/iris-contours.json?version={second}").status_code == 200
        page = client.get("/donnees").text
        assert f'/donnees/iris-contours.csv?version={first}' in page  # in the version history
    finally:
        serve_again(db, "iris-contours", first)


@pytest.mark.parametrize("url, words, status", [
    ("/donnees/inconnu.csv", "inconnu", 404), ("/donnees/dvf.pdf", "pdf", 404),
    ("/donnees/dvf.csv?version=9999", "9999", 404), ("/donnees/dvf.csv?version=deux", "deux", 400),
    ("/donnees/dvf.csv?version=²", "²", 400), ("/donnees/dvf.csv?version=١", "١", 400),
    ("/donnees/dvf.csv?version=" + "9" * 5000, "999", 400),
])
def test_a_bad_download_says_what_is_wrong_never_a_500(client, url, words, status):
    r = client.get(url)
    assert r.status_code == status
    assert words in r.text and r.mimetype == "text/plain"


def test_the_page_describes_every_dataset_with_its_dictionary_and_uses(client, db):
    served = store_rows(db)
    page = client.get("/donnees")
    assert page.status_code == 200
    html = page.text
    codes = set(CodeTexts(html).codes)
    for slug in served:
        assert f'id="jeu-{slug}"' in html, slug
        assert f'href="/donnees/{slug}.csv"' in html and f'href="/donnees/{slug}.json"' in html, slug
        for field in json.loads((SCHEMAS / f"{slug}.json").read_text(encoding="utf-8"))["fields"]:
            assert field["name"] in codes, (slug, field["name"])
    # Each demo dataset carries the label, each real one says it is official.
    shown = parse_page(html).text("prerender")
    assert shown.count("Données de démonstration") >= sum(demo for _, _, demo in served.values())
    assert shown.count("Données officielles") == sum(not demo for _, _, demo in served.values())
    # The area covered, as the catalogue file says it, the town by default.
    catalogue = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
    for slug in ("dvf-departements", "commerces"):
        article = html.split(f'id="jeu-{slug}"', 1)[1].split("</article>", 1)[0]
        assert catalogue[slug].get("spatial_fr", "Arras (commune, INSEE 62041)") in article, slug
    # The commerce inventory is read by the observatory's charts: the page links them.
    assert 'href="/commerces#commerces-vacance"' in html and 'href="/embed/commerces-vacance"' in html


def test_search_and_theme_filter_the_catalogue(client, db):
    served = store_rows(db)
    everything = client.get("/donnees").text
    assert sum(f'id="jeu-{s}"' in everything for s in served) == len(served)
    commerce = client.get("/donnees?theme=commerce").text
    assert 'id="jeu-commerces"' in commerce and 'id="jeu-dvf"' not in commerce
    found = client.get("/donnees?q=SIRENE").text  # any case, any accent
    assert 'id="jeu-sirene-etablissements"' in found and 'id="jeu-ecoles-ips"' not in found
    accents = client.get("/donnees?q=ecoles").text
    assert 'id="jeu-ecoles-ips"' in accents
    none = client.get("/donnees?q=zzzzzz").text
    assert "Aucun jeu de données ne correspond" in none
    bad = client.get("/donnees?theme=astronomie")
    assert bad.status_code == 400 and "Le paramètre « theme »" in bad.text
