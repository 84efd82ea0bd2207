"""Demo files: deterministic, in the official format, read by the official importer, calibrated."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest
from shapely.geometry import Point, shape

from tests.helpers import SOURCES, read_source_json
from webapp.demo import housing as demo
from webapp.data.importers.housing import read_census_housing, read_dvf_sales
from webapp.data.schema import load_schema, validate
from webapp.data.tabular import read_table

IRIS = SOURCES / "geo" / "iris-2020-arras-62041.geojson"
MEDIANS = SOURCES / "housing" / "dvf-prix-medians-trimestriels-par-departement-2014-2025.csv"
YEARS = range(2015, 2025)


@pytest.fixture(scope="module")
def medians():
    return demo.Medians.read(MEDIANS, "62")


@pytest.fixture(scope="module")
def content(medians):
    return demo.dvf_sales(IRIS, medians, "62041", "Arras", YEARS)


@pytest.fixture(scope="module")
def sales(content):
    frame, report = validate(load_schema("dvf"), read_table(content, "dvf-demo-62041.csv").frame)
    assert report.ok, report.text()  # the official schema accepts the demo file as it is
    return read_dvf_sales(frame)


def test_the_demo_file_is_the_same_bytes_every_time(medians, content):
    assert demo.dvf_sales(IRIS, medians, "62041", "Arras", YEARS) == content
    assert demo.dvf_sales(IRIS, medians, "62041", "Arras", YEARS, seed=1) != content


def test_it_has_the_official_columns_and_multi_row_sales(content):
    frame = read_table(content, "dvf.csv").frame
    assert list(frame.columns) == demo.DVF_COLUMNS
    rows_per_mutation = frame.groupby("id_mutation").size()
    assert (rows_per_mutation > 1).sum() > 100  # houses repeated on their garden's row, outbuildings


def test_sales_follow_the_town_size_and_the_departements_volume(medians, sales):
    per_year = sales.groupby("year").size()
    assert sorted(per_year.index) == list(YEARS)
    # About 800 a year, fewer where the département sold less (auctions are not sales).
    assert 0.85 * 800 * len(YEARS) <= len(sales) <= 1.05 * 800 * len(YEARS)
    busiest = max(YEARS, key=lambda y: medians.volumes[y])
    quietest = min(YEARS, key=lambda y: medians.volumes[y])
    assert per_year[busiest] > per_year[quietest]


@pytest.mark.parametrize("kind, label", [("Appartement", "appartement"), ("Maison", "maison")])
def test_prices_follow_the_departements_medians(medians, sales, kind, label):
    for year in YEARS:
        target = statistics.median(medians.at(year, q, kind) for q in range(1, 5) if medians.at(year, q, kind))
        got = sales[(sales["year"] == year) & (sales["dwelling_type"] == label)]["price_m2"].median()
        assert 0.8 * target * demo.TOWN_FACTOR[kind] <= got <= 1.25 * target * demo.TOWN_FACTOR[kind], (year, got)


def test_every_sale_lies_in_one_of_the_towns_iris(sales):
    polygons = [shape(f["geometry"]) for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"]]
    points = [Point(x, y) for x, y in zip(sales["longitude"], sales["latitude"])]
    assert all(any(p.covers(pt) for p in polygons) for pt in points)
    assert pd.Series([pt.x for pt in points]).nunique() > len(points) * 0.9


def test_a_few_sales_are_far_off_the_market(sales):
    # About one in a hundred, at a small fraction or a multiple of the usual price (the outlier rule's prey).
    by_type_year = sales.groupby(["year", "dwelling_type"])["price_m2"]
    ratio = sales["price_m2"] / by_type_year.transform("median")
    far = ((ratio < 0.25) | (ratio > 4)).sum()
    assert 0.002 * len(sales) <= far <= 0.03 * len(sales)


# --- census housing by IRIS -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def census():
    return demo.census_housing(IRIS, "62041", "Arras", 2019)


def test_the_demo_census_is_the_same_bytes_every_time(census):
    assert demo.census_housing(IRIS, "62041", "Arras", 2019) == census
    assert demo.census_housing(IRIS, "62041", "Arras", 2019, seed=2) != census


def test_the_demo_census_passes_the_official_schema_and_importer(census):
    frame, report = validate(load_schema("logement-iris"), read_table(census, "base-ic-logement-2019.csv").frame)
    assert report.ok, report.text()
    assert frame.attrs["vintage"] == 2019
    stock = read_census_housing(frame)
    codes = sorted(f["properties"]["CODE_IRIS"] for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"])
    assert sorted(stock["iris_code"]) == codes
    # Arras has about 24,000 dwellings; each IRIS adds up as INSEE's counts do.
    assert 23_000 <= stock["dwellings"].sum() <= 25_000
    parts = stock["main_homes"] + stock["second_homes"] + stock["vacant"]
    assert (parts - stock["dwellings"]).abs().max() < 0.01
    assert ((stock["houses"] + stock["flats"]) - stock["dwellings"]).abs().max() < 0.01
    assert (stock["social_tenants"] <= stock["tenants"] + 1e-6).all()
    assert (stock["owners"] + stock["tenants"] <= stock["main_homes"] + 1e-6).all()


def test_the_shipped_demo_files_are_the_generators_output(tmp_path):
    # The files in data/sources are what `demo.write_files` writes today: anyone can check how they were made.
    for rel in ("geo/iris-2020-arras-62041.geojson",
                "housing/dvf-prix-medians-trimestriels-par-departement-2014-2025.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((SOURCES / rel).read_bytes())
    for path in demo.write_files(tmp_path):
        assert path.read_bytes() == (SOURCES / path.relative_to(tmp_path)).read_bytes(), path.name
