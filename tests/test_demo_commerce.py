"""Commerce demo files: deterministic, in their formats, read by the importers, calibrated on the published figures.

The figures are recomputed here from the file itself (Python's csv module and dates), not from the
generator's constants nor from the importer's `vacancy_by_year`, which is checked against them.
Published figures: `arras-commerce-chiffres-publies-presse.csv` in the project's shared real data.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from datetime import date, datetime

import pytest
from shapely.geometry import Point, shape

from tests.helpers import ROOT, SOURCES, read_source_json
from webapp.demo import commerce as demo_commerce
from webapp.data.importers.commerce import (
    inventory_problems,
    read_inventory,
    read_sirene,
    vacancy_by_year,
)
from webapp.data.schema import load_schema, validate
from webapp.data.tabular import read_table

IRIS = SOURCES / "geo" / "iris-2020-arras-62041.geojson"
SURVEY = date(2016, 1, 1)  # the 2016 study's counts: the state when the inventory starts


@pytest.fixture(scope="module")
def content() -> bytes:
    return demo_commerce.shop_inventory(IRIS)


@pytest.fixture(scope="module")
def rows(content) -> list[dict]:
    """The file's rows with their dates parsed, read without the app's code."""
    out = []
    for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"):
        out.append(row | {"start": french_date(row["date_debut"]), "end": french_date(row["date_fin"])})
    return out


def french_date(text: str) -> date | None:
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


@pytest.fixture(scope="module")
def hypercentre() -> str:
    features = read_source_json("geo/iris-2020-arras-62041.geojson")["features"]
    return next(f["properties"]["CODE_IRIS"] for f in features if f["properties"]["NOM_IRIS"] == "Hyper Centre")


def state_on(rows: list[dict], day: date) -> dict[str, dict]:
    """The row of each unit under way on `day` (periods run from their start to the day before their end)."""
    return {r["id_cellule"]: r for r in rows if r["start"] <= day and (r["end"] is None or r["end"] > day)}


def vacancy(rows: list[dict], day: date, iris: str | None = None) -> tuple[int, int]:
    units = [r for r in state_on(rows, day).values() if iris is None or r["code_iris"] == iris]
    return len(units), sum(r["statut"] == "vacant" for r in units)


def flows(rows: list[dict], first: int, last: int, iris: str | None = None) -> tuple[int, int]:
    occupied = [r for r in rows if r["statut"] == "occupé" and (iris is None or r["code_iris"] == iris)]
    openings = sum(first <= r["start"].year <= last for r in occupied)
    closures = sum(r["end"] is not None and first <= r["end"].year <= last for r in occupied)
    return openings, closures


def test_the_demo_inventory_is_the_same_bytes_every_time(content):
    assert demo_commerce.shop_inventory(IRIS) == content
    assert demo_commerce.shop_inventory(IRIS, seed=1) != content


def test_it_is_written_as_a_french_spreadsheet_saves_it(content):
    schema = json.loads((ROOT / "data" / "schemas" / "commerces.json").read_text(encoding="utf-8"))
    assert content.startswith(b"\xef\xbb\xbf")
    header, first = content.decode("utf-8-sig").split("\r\n")[:2]
    assert header.split(";") == [f["name"] for f in schema["fields"]]
    cells = first.split(";")
    assert datetime.strptime(cells[1], "%d/%m/%Y") and "," in cells[7]  # JJ/MM/AAAA, decimal comma


def test_it_passes_its_schema_and_the_importer(content, rows):
    table = read_table(content, "commerces-arras.csv", load_schema("commerces").names)
    frame, report = validate(load_schema("commerces"), table.frame)
    assert report.ok, report.text()
    assert inventory_problems(frame) == []  # no overlapping periods, every business has its activity
    inventory = read_inventory(frame)
    assert len(inventory) == len(rows)
    assert inventory["start_date"].min().year < 2016 and inventory["start_date"].max() <= datetime(2025, 12, 31)


def test_every_unit_lies_in_its_iris_and_keeps_it(rows, hypercentre):
    polygons = {f["properties"]["CODE_IRIS"]: shape(f["geometry"])
                for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"]}
    places = {(r["id_cellule"], r["code_iris"], r["longitude"], r["latitude"]) for r in rows}
    assert len(places) == len({p[0] for p in places})  # one place per unit, whatever its periods
    for _, code, lon, lat in places:
        assert polygons[code].covers(Point(float(lon.replace(",", ".")), float(lat.replace(",", "."))))
    assert sum(code == hypercentre for _, code, _, _ in places) == 479
    assert len({code for _, code, _, _ in places}) == 16


def test_the_2016_survey_matches_the_published_counts(rows, hypercentre):
    # 1,147 shops in Arras; 479 units in the hypercentre, 95 of them vacant (« proche de 20 % »);
    # 22 % vacancy town-wide.
    units, vacant = vacancy(rows, SURVEY)
    assert units == 1147
    assert vacant / units == pytest.approx(0.22, abs=0.015)
    hyper_units, hyper_vacant = vacancy(rows, SURVEY, hypercentre)
    assert abs(hyper_units - 479) <= 3 and abs(hyper_vacant - 95) <= 3


def test_openings_and_closures_of_2016_2020_match_the_published_totals(rows, hypercentre):
    # 287 openings against 130 closures over 2016-2020 (within 5 %); 50 and about 15 in 2016.
    openings, closures = flows(rows, 2016, 2020)
    assert abs(openings - 287) <= 0.05 * 287 and abs(closures - 130) <= 0.05 * 130
    first_openings, first_closures = flows(rows, 2016, 2016)
    assert abs(first_openings - 50) <= 3 and abs(first_closures - 15) <= 3
    # Every year of 2016-2025 has openings and closures, in the hypercentre too.
    for year in range(2016, 2026):
        assert all(n > 0 for n in flows(rows, year, year, hypercentre)), year


def test_independent_shops_and_the_hypercentres_mix_at_the_survey(rows, hypercentre):
    occupied = [r for r in state_on(rows, SURVEY).values() if r["statut"] == "occupé"]
    independent = sum(r["type_exploitation"] == "indépendant" for r in occupied) / len(occupied)
    assert independent == pytest.approx(0.62, abs=0.03)  # 62 % independent shops
    centre = [r for r in occupied if r["code_iris"] == hypercentre]
    naf = Counter(r["code_naf"][:5] for r in centre)
    assert 0.26 < naf["47.71"] / len(centre) < 0.30  # « plus de 26 % » ready-to-wear
    assert naf["56.10"] / len(centre) == pytest.approx(0.22, abs=0.03)  # 22 % restaurants


def test_hypercentre_vacancy_falls_to_about_8_percent(rows, hypercentre):
    # « descendu à 8 % » (article of March 2021): at the end of 2020 and of 2021, within 1.5 points.
    for day in (date(2020, 12, 31), date(2021, 12, 31)):
        units, vacant = vacancy(rows, day, hypercentre)
        assert vacant / units == pytest.approx(0.08, abs=0.015), day
    start_units, start_vacant = vacancy(rows, SURVEY, hypercentre)
    assert start_vacant / start_units > 0.18  # « proche de 20 % » at the start


def test_vacancy_by_year_agrees_with_the_file(content, rows, hypercentre):
    inventory = read_inventory(validate(load_schema("commerces"), read_table(content, "c.csv").frame)[0])
    table = vacancy_by_year(inventory, range(2016, 2026), [hypercentre])
    for rec in table.itertuples():
        iris = hypercentre if rec.perimeter == "hypercentre" else None
        assert (rec.units, rec.vacant) == vacancy(rows, date(rec.year, 12, 31), iris)
        assert (rec.openings, rec.closures) == flows(rows, rec.year, rec.year, iris)
        assert math.isclose(rec.vacancy_rate, rec.vacant / rec.units)


# --- Sirene -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sirene_content() -> bytes:
    return demo_commerce.sirene_extract(IRIS)


@pytest.fixture(scope="module")
def establishments(sirene_content):
    frame, report = validate(load_schema("sirene-etablissements"),
                             read_table(sirene_content, "StockEtablissement_utf8.csv").frame)
    assert report.ok, report.text()
    return read_sirene(frame).set_index("siret")


def test_the_demo_sirene_is_the_same_bytes_every_time(sirene_content):
    assert demo_commerce.sirene_extract(IRIS) == sirene_content
    assert demo_commerce.sirene_extract(IRIS, seed=1) != sirene_content
    header = sirene_content.decode("utf-8").split("\n", 1)[0].split(",")
    assert header[:3] == ["siren", "nic", "siret"] and "coordonneeLambertAbscisseEtablissement" in header


def test_sirene_sets_aside_establishments_without_a_shop(sirene_content, establishments):
    raw = list(csv.DictReader(io.StringIO(sirene_content.decode("utf-8"))))
    codes = Counter(r["activitePrincipaleEtablissement"] for r in raw)
    assert codes["47.91B"] and codes["62.01Z"] and codes["52.4C"]  # online shops, offices, old codes…
    assert not set(establishments["naf_code"]) & {"47.91B", "47.81Z", "62.01Z", "52.4C", "56.21Z"}
    assert len(establishments) < len(raw)


def test_sirene_agrees_with_the_inventory_where_it_can(rows, establishments):
    businesses = {r["siret"]: r for r in rows if r["siret"]}
    assert len(businesses) > 0.85 * sum(r["statut"] == "occupé" for r in rows)
    found = establishments.reindex(list(businesses))
    assert found["category"].notna().mean() > 0.85  # a few declared under a code out of scope (bakeries aside)
    matched = found[found["category"].notna()]
    same = sum(matched.at[s, "category"] == businesses[s]["activite"] for s in matched.index)
    assert same / len(matched) > 0.9
    # Sirene never says closed what the inventory says open; most closures are declared, not all.
    still_open = [s for s in matched.index if businesses[s]["date_fin"] == ""]
    assert matched.loc[still_open, "open"].all()
    gone = [s for s in matched.index if businesses[s]["date_fin"]]
    assert 0.6 < (~matched.loc[gone, "open"].astype(bool)).mean() < 0.95
    # At the shop's address, Lambert 93 brings the point back within a few metres of the unit.
    near = 0
    for s in matched.index:
        b, e = businesses[s], matched.loc[s]
        if e["street_number"] == b["numero"] and isinstance(e["longitude"], float) and not math.isnan(e["longitude"]):
            lon, lat = float(b["longitude"].replace(",", ".")), float(b["latitude"].replace(",", "."))
            dx = (e["longitude"] - lon) * 111_320 * math.cos(math.radians(lat))
            near += math.hypot(dx, (e["latitude"] - lat) * 110_574) < 15
    assert near > 0.8 * len(matched)


def test_write_files_writes_both_demo_files(tmp_path):
    (tmp_path / "geo").mkdir()
    (tmp_path / "geo" / IRIS.name).write_bytes(IRIS.read_bytes())
    paths = demo_commerce.write_files(tmp_path)
    assert [p.name for p in paths] == [demo_commerce.DEMO_INVENTORY, demo_commerce.DEMO_SIRENE]
    assert paths[0].read_bytes() == demo_commerce.shop_inventory(IRIS)
