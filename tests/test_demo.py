"""Demo files: deterministic, in the official format, read by the official importer, calibrated."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest
from shapely.geometry import Point, shape

from tests.helpers import SOURCES, read_source_json
from webapp.data import demo
from webapp.data.importers.housing import read_dvf_sales
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
