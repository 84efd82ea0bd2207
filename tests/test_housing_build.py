"""The housing tables computed at publish time: IRIS of each sale, outliers, medians per span, gaps."""

from __future__ import annotations

import json
import statistics

import pandas as pd
import pytest
from shapely.geometry import shape

from tests.helpers import SOURCES, read_source_csv, read_source_json
from webapp.demo import housing as demo
from webapp.data.importers import housing
from webapp.data.importers.schools import read_iris

IRIS_FILE = SOURCES / "geo" / "iris-2020-arras-62041.geojson"


def sale(year: int, kind: str, price_m2: float, iris: str = "620410101", commune: str = "62041") -> dict:
    return {"commune_code": commune, "iris_code": iris, "dwelling_type": kind, "year": year, "price_m2": price_m2}


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


# --- outliers -----------------------------------------------------------------------------------

def test_far_out_prices_of_a_year_and_type_are_set_aside():
    ordinary = [1800 + 20 * i for i in range(20)]  # 1800 … 2180 €/m²
    rows = [sale(2020, "appartement", p) for p in ordinary]
    rows += [sale(2020, "appartement", 95.0), sale(2020, "appartement", 21000.0)]  # family sale, typo
    rows += [sale(2020, "maison", p) for p in (1500, 1550, 1600, 1650, 1700, 1750)]
    flagged = housing.set_aside_outliers(frame(rows))
    prices = frame(rows)["price_m2"]
    assert sorted(prices[flagged]) == [95.0, 21000.0]


def test_an_unusual_but_plausible_price_is_kept():
    rows = [sale(2021, "maison", 1800 + 10 * i) for i in range(30)]  # IQR about 150
    rows.append(sale(2021, "maison", 2400.0))  # a fine house: above Q3 but within three IQRs
    assert not housing.set_aside_outliers(frame(rows)).any()


def test_groups_are_year_type_and_commune():
    # 900 €/m² is far out among flats of 2020 but ordinary among the cheap houses of 2020.
    rows = [sale(2020, "appartement", 2000 + 10 * i) for i in range(10)]
    rows += [sale(2020, "maison", 850 + 10 * i) for i in range(10)]
    rows.append(sale(2020, "maison", 900.0))
    assert not housing.set_aside_outliers(frame(rows)).any()


def test_too_small_a_group_sets_nothing_aside():
    rows = [sale(2019, "maison", p) for p in (1500, 1520, 1540, 99000)]
    assert not housing.set_aside_outliers(frame(rows)).any()


# --- medians per span of years ----------------------------------------------------------------

def spans_of(rows: list[dict]) -> pd.DataFrame:
    sales = frame(rows)
    sales["outlier"] = housing.set_aside_outliers(sales)
    return housing.price_spans(sales)


def pick(spans: pd.DataFrame, iris: str, kind: str, first: int, last: int) -> pd.Series | None:
    hit = spans[(spans["iris_code"] == iris) & (spans["dwelling_type"] == kind)
                & (spans["year_from"] == first) & (spans["year_to"] == last)]
    return None if hit.empty else hit.iloc[0]


def test_a_median_needs_five_priced_sales():
    rows = [sale(2020, "maison", p, iris="A") for p in (1500, 1600, 1700, 1800)]  # four
    rows += [sale(2020, "maison", p, iris="B") for p in (1500, 1600, 1700, 1800, 1900)]  # five
    spans = spans_of(rows)
    four, five = pick(spans, "A", "maison", 2020, 2020), pick(spans, "B", "maison", 2020, 2020)
    assert four["sales"] == 4 and pd.isna(four["median_price_m2"])
    assert five["sales"] == 5 and five["median_price_m2"] == 1700
    town = pick(spans, "", "maison", 2020, 2020)  # the town gathers both quartiers
    assert town["sales"] == 9 and town["median_price_m2"] == statistics.median([1500, 1600, 1700, 1800] * 2 + [1900])


def test_outliers_count_as_sales_but_not_in_the_median():
    prices = [2000 + 25 * i for i in range(12)]
    rows = [sale(2022, "appartement", p) for p in prices] + [sale(2022, "appartement", 50.0)]
    row = pick(spans_of(rows), "620410101", "appartement", 2022, 2022)
    assert row["sales"] == 13 and row["priced"] == 12
    assert row["median_price_m2"] == statistics.median(prices)
    q1, _, q3 = statistics.quantiles(prices, n=4, method="inclusive")
    assert row["q1_price_m2"] == pytest.approx(q1) and row["q3_price_m2"] == pytest.approx(q3)


def test_every_span_of_years_and_both_types_together():
    rows = [sale(y, k, 1000 + y - 2016 + (500 if k == "maison" else 0) + i) for y in (2016, 2017, 2018)
            for k in ("appartement", "maison") for i in range(6)]
    spans = spans_of(rows)
    pairs = {(r.year_from, r.year_to) for r in spans.itertuples()}
    assert pairs == {(a, b) for a in (2016, 2017, 2018) for b in (2016, 2017, 2018) if a <= b}
    both = pick(spans, "", "tous", 2016, 2018)
    assert both["sales"] == 36
    assert both["median_price_m2"] == statistics.median([r["price_m2"] for r in rows])
    late = pick(spans, "", "maison", 2017, 2018)
    assert late["median_price_m2"] == statistics.median(
        [r["price_m2"] for r in rows if r["dwelling_type"] == "maison" and r["year"] >= 2017])


def test_a_year_without_any_sale_has_no_row_rather_than_a_zero():
    rows = [sale(y, "maison", 1500 + i) for y in (2016, 2018) for i in range(6)]
    spans = spans_of(rows)
    assert pick(spans, "", "maison", 2017, 2017) is None
    assert pick(spans, "", "maison", 2016, 2018)["sales"] == 12


# --- IRIS of each sale ------------------------------------------------------------------------

def test_each_sale_gets_the_iris_that_contains_it():
    iris = read_iris(IRIS_FILE)
    features = read_source_json("geo/iris-2020-arras-62041.geojson")["features"]
    inside = [shape(f["geometry"]).representative_point() for f in features[:3]]
    sales = pd.DataFrame({
        "commune_code": ["62041", "62041", "62041", "62041", "62001"],
        "longitude": [p.x for p in inside] + [2.0, inside[0].x],
        "latitude": [p.y for p in inside] + [49.0, inside[0].y],
    })
    codes = housing.locate_sales(sales, iris).tolist()
    assert codes[:3] == [f["properties"]["CODE_IRIS"] for f in features[:3]]
    assert codes[3] == ""  # far from the town
    assert codes[4] == ""  # another commune's sale, even at the same place


# --- the whole build on the shipped files -----------------------------------------------------

@pytest.fixture(scope="module")
def built():
    catalogue = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
    sources = {slug: SOURCES / next(iter(catalogue[slug]["files"].values()))
               for slug in ("iris-contours", "dvf", "dvf-departements", "logement-iris", "revenus-iris")}
    return housing.build_tables(sources)


def test_the_build_keeps_the_towns_rows_and_its_departements_medians(built):
    reference = built["housing_reference"]
    assert set(reference["department"]) == {"62"}
    published = [r for r in read_source_csv(
        "housing/dvf-prix-medians-trimestriels-par-departement-2014-2025.csv", sep=",") if r["Department"] == "62"]
    assert len(reference) == len(published)
    assert set(built["housing_stock"]["commune_code"]) == {"62041"}
    assert len(built["housing_stock"]) == 16
    assert len(built["housing_income"]) == 16  # 210 IRIS of the département in the file, 16 of the town


def test_the_town_totals_match_the_sales_file(built):
    sales = housing.read_dvf_sales(SOURCES / "housing" / demo.DEMO_DVF)
    spans = built["housing_price"]
    town = spans[(spans["iris_code"] == "") & (spans["dwelling_type"] == "tous")]
    whole = town[(town["year_from"] == sales["year"].min()) & (town["year_to"] == sales["year"].max())]
    assert int(whole["sales"].iloc[0]) == len(sales)
    located = spans[(spans["iris_code"] != "") & (spans["dwelling_type"] == "tous")
                    & (spans["year_from"] == sales["year"].min()) & (spans["year_to"] == sales["year"].max())]
    assert int(located["sales"].sum()) == len(sales)  # every demo sale lies in one of the 16 IRIS
    assert json.loads(json.dumps(sorted(located["iris_code"].unique()))) == sorted(
        f["properties"]["CODE_IRIS"] for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"])


def test_some_quartier_years_fall_below_the_minimum_in_the_demo(built):
    spans = built["housing_price"]
    yearly = spans[(spans["iris_code"] != "") & (spans["year_from"] == spans["year_to"])]
    few = yearly[yearly["priced"] < housing.MIN_SALES]
    assert not few.empty and few["median_price_m2"].isna().all()
    assert yearly.loc[yearly["priced"] >= housing.MIN_SALES, "median_price_m2"].notna().all()


def test_a_sale_outside_every_iris_counts_once_for_the_town_and_for_no_quartier():
    rows = [sale(2020, "maison", 1500 + i, iris="620410101") for i in range(5)]
    rows.append(sale(2020, "maison", 1600, iris=""))  # coordinates outside the outlines
    spans = spans_of(rows)
    assert pick(spans, "", "maison", 2020, 2020)["sales"] == 6
    assert pick(spans, "620410101", "maison", 2020, 2020)["sales"] == 5
    assert set(spans["iris_code"]) == {"", "620410101"}
