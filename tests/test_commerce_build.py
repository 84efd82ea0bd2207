"""The commerce observatory's rollups (`webapp.data.importers.commerce`) on small inventories counted by hand.

Each expected figure below is worked out from the rows written here, with the schema's rules: a
period is half-open, [start, end); a unit is in the stock at a year-end when one of its periods
covers 31 December; a takeover on one day is a closure and an opening without vacancy; an occupied
and a vacant period covering the same date count as occupied. The demo file is checked by summing
the per-IRIS rollup against `vacancy_by_year`, which counts from the raw periods.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from tests.helpers import SOURCES
from tests.test_commerce_importers import INVENTORY_HEADER, establishment, sirene_file
from webapp.data.importers.commerce import (
    INVENTORY_COLUMNS,
    build_tables,
    mix_by_iris,
    read_inventory,
    read_sirene,
    sirene_by_year,
    stock_by_iris,
    survey_years,
    units_by_year,
    units_near_points,
    vacancy_by_year,
)
from webapp.data.schema import load_schema, validate
from webapp.data.tabular import read_table

A, B, C = "620410801", "620410601", "620410901"  # A is the hypercentre here
DEMO = SOURCES / "commerce" / "demo-commerces-arras-2016-2025.csv"
METRES_PER_DEGREE = 6_371_000 * math.pi / 180  # 111,195 m of latitude on a 6,371 km sphere

ROWS = [
    # U1 (A): a grocer taken over by a chain's clothes shop on 30 June 2017 - one closure, one opening, no vacancy.
    f"U1;15/03/2010;30/06/2017;occupé;1;Rue Ronville;{A};2,7780;50,2900;alimentaire;indépendant;Épicerie;;",
    f"U1;30/06/2017;;occupé;1;Rue Ronville;{A};2,7780;50,2900;equipement-personne;enseigne;Mode & Co;;",
    # U2 (A): a café closes on 31 December 2016 (so the unit is vacant that evening), a dry cleaner in 2018.
    f"U2;01/02/2012;31/12/2016;occupé;2;Rue Ronville;{A};2,7781;50,2901;cafe-hotel-restaurant;indépendant;Le Zinc;;",
    f"U2;31/12/2016;01/09/2018;vacant;2;Rue Ronville;{A};2,7781;50,2901;;;;;",
    f"U2;01/09/2018;;occupé;2;Rue Ronville;{A};2,7781;50,2901;services;indépendant;Pressing;;",
    # U3 (B): a bakery closes in May 2016; the unit stays vacant ever after.
    f"U3;01/01/2000;10/05/2016;occupé;5;Rue Gambetta;{B};2,7850;50,2870;alimentaire;indépendant;Boulangerie;;",
    f"U3;10/05/2016;;vacant;5;Rue Gambetta;{B};2,7850;50,2870;;;;;",
    # U4 (B): a mistake - a vacancy recorded over the first two years of a chain's grocery: occupied wins.
    f"U4;01/01/2017;31/12/2018;vacant;7;Rue Gambetta;{B};2,7851;50,2871;;;;;",
    f"U4;01/03/2017;;occupé;7;Rue Gambetta;{B};2,7851;50,2871;alimentaire;enseigne;Supérette;;",
    # U5 (B): a bookshop from June 2016 to March 2019, then the unit leaves the stock.
    f"U5;01/06/2016;01/03/2019;occupé;9;Rue Gambetta;{B};2,7852;50,2872;culture-loisirs;indépendant;Librairie;;",
    # U6 (C): a pop-up shop open eight months of 2018: never there at a year-end, one opening and one closure.
    f"U6;01/02/2018;01/10/2018;occupé;3;Rue Méaulens;{C};2,7700;50,2950;autre;enseigne;Éphémère;;",
]
YEARS = [2015, 2016, 2017, 2018, 2019]


def inventory_bytes(rows: list[str] = ROWS) -> bytes:
    return "\r\n".join([INVENTORY_HEADER, *rows]).encode("utf-8-sig")


def table(content: bytes, slug: str, name: str) -> pd.DataFrame:
    frame, report = validate(load_schema(slug), read_table(content, name, load_schema(slug).names).frame)
    assert report.ok, report.text()
    return frame


@pytest.fixture(scope="module")
def inventory() -> pd.DataFrame:
    return read_inventory(table(inventory_bytes(), "commerces", "commerces.csv"))


@pytest.fixture(scope="module")
def units(inventory) -> pd.DataFrame:
    return units_by_year(inventory, YEARS)


# --- survey_years -------------------------------------------------------------------------------------

def test_survey_years_run_from_the_year_before_the_first_end_to_the_last_date(inventory):
    # The earliest end is U3's bakery, 10 May 2016: the file knows the stock from the end of 2015.
    # The latest date is U5's closing, 1 March 2019.
    assert survey_years(inventory, date(2026, 1, 1)) == [2015, 2016, 2017, 2018, 2019]
    assert survey_years(inventory, date(2018, 6, 1)) == [2015, 2016, 2017, 2018]  # never after this year


def test_survey_years_without_any_end_or_any_row():
    still_open = read_inventory(table(inventory_bytes([ROWS[1], ROWS[8]]), "commerces", "c.csv"))
    assert survey_years(still_open, date(2026, 1, 1)) == [2017]  # only the state at the latest start is known
    assert survey_years(still_open.iloc[:0], date(2026, 1, 1)) == []


# --- units_by_year ----------------------------------------------------------------------------------

def test_each_unit_at_each_year_end(units):
    assert list(units.columns) == ["year", *INVENTORY_COLUMNS]
    present = {y: sorted(units.loc[units["year"] == y, "unit_id"]) for y in YEARS}
    assert present == {
        2015: ["U1", "U2", "U3"],  # U4 and U5 start later
        2016: ["U1", "U2", "U3", "U5"],
        2017: ["U1", "U2", "U3", "U4", "U5"],
        2018: ["U1", "U2", "U3", "U4", "U5"],  # U6 opened and closed within the year
        2019: ["U1", "U2", "U3", "U4"],  # U5 left the stock
    }
    assert len(units) == 3 + 4 + 5 + 5 + 4
    state = {(r.year, r.unit_id): r for r in units.itertuples()}
    # U2's café ended on 31 December 2016: that evening the vacancy that starts the same day is under way.
    assert state[(2016, "U2")].vacant and state[(2015, "U2")].name == "Le Zinc"
    # The takeover: the grocer at the end of 2016, the chain from the end of 2017, never vacant.
    assert state[(2016, "U1")].name == "Épicerie" and not state[(2016, "U1")].vacant
    assert state[(2017, "U1")].name == "Mode & Co" and not state[(2017, "U1")].vacant
    # U4: the occupied period is kept where a vacant one covers the same date.
    assert not state[(2017, "U4")].vacant and state[(2017, "U4")].category == "alimentaire"
    assert state[(2017, "U4")].independent == False  # a nullable boolean: False, not NA
    assert state[(2019, "U3")].vacant and state[(2019, "U3")].iris_code == B


# --- stock_by_iris ------------------------------------------------------------------------------------

def test_stock_and_flows_per_year_and_iris(inventory, units):
    stock = stock_by_iris(inventory, units, YEARS)
    assert list(stock.columns) == ["year", "iris_code", "units", "vacant", "openings", "closures"]
    got = {(r.year, r.iris_code): (r.units, r.vacant, r.openings, r.closures) for r in stock.itertuples()}
    assert got == {
        #             units, vacant, openings, closures
        (2015, A): (2, 0, 0, 0), (2015, B): (1, 0, 0, 0),
        (2016, A): (2, 1, 0, 1),  # U2's café closes; U2 vacant at the year-end
        (2016, B): (2, 1, 1, 1),  # U5 opens, U3's bakery closes and stays vacant
        (2017, A): (2, 1, 1, 1),  # U1's takeover: one closure, one opening
        (2017, B): (3, 1, 1, 0),  # U4 opens (its vacancy does not count)
        (2018, A): (2, 0, 1, 0),  # the dry cleaner opens in U2
        (2018, B): (3, 1, 0, 0),
        (2018, C): (0, 0, 1, 1),  # the pop-up shop: flows without stock
        (2019, A): (2, 0, 0, 0),
        (2019, B): (2, 1, 0, 1),  # U5 closes
    }
    assert all(str(stock[c].dtype) == "int64" for c in ("year", "units", "vacant", "openings", "closures"))


def test_flows_outside_the_years_asked_are_left_out(inventory):
    stock = stock_by_iris(inventory, units_by_year(inventory, [2017]), [2017])
    assert sorted(stock["year"].unique()) == [2017]  # not 2000, 2010 or 2012, when the first shops opened
    assert stock[["units", "vacant", "openings", "closures"]].sum().tolist() == [5, 2, 2, 1]


def test_sums_of_iris_rows_equal_the_perimeters_from_the_raw_periods(inventory, units):
    stock = stock_by_iris(inventory, units, YEARS)
    check_perimeter_sums(inventory, stock, YEARS, [A])


def check_perimeter_sums(inventory: pd.DataFrame, stock: pd.DataFrame, years: list[int], hyper: list[str]) -> None:
    raw = vacancy_by_year(inventory, years, hyper).set_index(["perimeter", "year"])
    for perimeter, rows in (("commune", stock), ("hypercentre", stock[stock["iris_code"].isin(hyper)])):
        sums = rows.groupby("year")[["units", "vacant", "openings", "closures"]].sum().reindex(years, fill_value=0)
        for year in years:
            expected = raw.loc[(perimeter, year), ["units", "vacant", "openings", "closures"]].tolist()
            assert sums.loc[year].tolist() == expected, (perimeter, year)


def test_the_demo_files_iris_rows_add_up_to_the_hypercentre_and_the_town():
    inventory = read_inventory(DEMO)
    years = survey_years(inventory, date(2026, 1, 1))
    assert years[0] == 2015 and years[-1] == 2025
    stock = stock_by_iris(inventory, units_by_year(inventory, years), years)
    assert stock["iris_code"].nunique() == 16
    check_perimeter_sums(inventory, stock, years, ["620410801"])


# --- mix_by_iris --------------------------------------------------------------------------------------

def test_the_mix_counts_the_businesses_open_at_the_year_end(units):
    mix = mix_by_iris(units)
    assert list(mix.columns) == ["year", "iris_code", "category", "businesses", "independents"]
    got = {(r.year, r.iris_code, r.category): (r.businesses, r.independents) for r in mix.itertuples()}
    assert got == {
        (2015, A, "alimentaire"): (1, 1), (2015, A, "cafe-hotel-restaurant"): (1, 1), (2015, B, "alimentaire"): (1, 1),
        (2016, A, "alimentaire"): (1, 1), (2016, B, "culture-loisirs"): (1, 1),  # vacant units are not businesses
        (2017, A, "equipement-personne"): (1, 0), (2017, B, "alimentaire"): (1, 0), (2017, B, "culture-loisirs"): (1, 1),
        (2018, A, "equipement-personne"): (1, 0), (2018, A, "services"): (1, 1), (2018, B, "alimentaire"): (1, 0),
        (2018, B, "culture-loisirs"): (1, 1),
        (2019, A, "equipement-personne"): (1, 0), (2019, A, "services"): (1, 1), (2019, B, "alimentaire"): (1, 0),
    }


# --- units_near_points --------------------------------------------------------------------------------

LON, LAT = 2.7780, 50.2900


def north(metres: float) -> float:
    return LAT + metres / METRES_PER_DEGREE


def east(metres: float) -> float:
    return LON + metres / (METRES_PER_DEGREE * math.cos(math.radians(LAT)))


def test_units_within_150_metres_of_each_point():
    points = pd.DataFrame({"site_id": ["P1", "P2"], "longitude": [LON, LON], "latitude": [LAT, LAT - 0.02]})
    placed = [  # (unit, longitude, latitude, vacant at the end of 2018, vacant at the end of 2019)
        ("N100", LON, north(100), False, True),
        ("N200", LON, north(200), True, True),  # too far
        ("E140", east(140), LAT, True, False),
        ("E160", east(160), LAT, False, False),  # too far
        ("S149", LON, north(-149), True, True),
    ]
    units = pd.DataFrame([{"year": year, "unit_id": u, "longitude": lon, "latitude": lat, "vacant": v}
                          for u, lon, lat, v18, v19 in placed for year, v in ((2018, v18), (2019, v19))])
    near = units_near_points(units, points)
    got = {(r.site_id, r.year): (r.units, r.vacant) for r in near.itertuples()}
    assert got == {
        ("P1", 2018): (3, 2),  # N100, E140, S149; E140 and S149 vacant
        ("P1", 2019): (3, 2),  # N100 and S149 vacant
        ("P2", 2018): (0, 0),  # 2.2 km south: no unit around, still a row
        ("P2", 2019): (0, 0),
    }
    assert str(near["units"].dtype) == "int64" and str(near["vacant"].dtype) == "int64"
    wider = {(r.site_id, r.year): r.units for r in units_near_points(units, points, 250).itertuples()}
    assert wider[("P1", 2018)] == 5 and wider[("P2", 2018)] == 0


def test_no_points_or_no_units_gives_no_rows():
    points = pd.DataFrame({"site_id": ["P1"], "longitude": [LON], "latitude": [LAT]})
    units = pd.DataFrame({"year": [2018], "unit_id": ["U"], "longitude": [LON], "latitude": [LAT], "vacant": [False]})
    assert units_near_points(units, points.iloc[:0]).empty
    assert units_near_points(units.iloc[:0], points).empty


# --- sirene_by_year -----------------------------------------------------------------------------------

def test_sirene_creations_closures_and_active_establishments_per_year():
    def day(text):
        return pd.Timestamp(text) if text else pd.NaT

    sirene = pd.DataFrame({
        "category": ["alimentaire", "alimentaire", "cafe-hotel-restaurant", "cafe-hotel-restaurant"],
        "created": [day("2015-04-01"), day("2016-03-01"), day("2017-12-31"), day("2010-01-01")],
        "closed": [day(""), day("2018-06-30"), day(""), day("2016-12-31")],
    })
    out = sirene_by_year(sirene, [2018, 2015, 2016, 2017])
    assert list(out.columns) == ["year", "category", "created", "closed", "active"]
    got = {(r.year, r.category): (r.created, r.closed, r.active) for r in out.itertuples()}
    assert got == {
        (2015, "alimentaire"): (1, 0, 1), (2015, "cafe-hotel-restaurant"): (0, 0, 1),
        (2016, "alimentaire"): (1, 0, 2),
        (2016, "cafe-hotel-restaurant"): (0, 1, 0),  # closed on 31 December: gone that evening
        (2017, "alimentaire"): (0, 0, 2),
        (2017, "cafe-hotel-restaurant"): (1, 0, 1),  # created on 31 December: there that evening
        (2018, "alimentaire"): (0, 1, 1), (2018, "cafe-hotel-restaurant"): (0, 0, 1),
    }
    assert out["year"].tolist() == sorted(out["year"].tolist())
    assert sirene_by_year(sirene, []).empty


# --- build_tables -------------------------------------------------------------------------------------

SITES = ("site_id;parent_site_id;site_name;fr_insee_code;xlong;ylat;external_ids;infrastructure_type\r\n"
         "P-RONVILLE;;Rue Ronville;62041;2,7780;50,2900;;FOOTPATH\r\n"  # U1 and U2 within 15 m, U3-U5 600 m away
         "P-LOIN;;Loin de tout;62041;2,7000;50,2500;;FOOTPATH\r\n")


def test_build_tables_from_the_three_files():
    sirene_rows = [
        establishment("11111111100011", "47.11B", created="2016-02-01"),
        establishment("22222222200011", "56.30Z", created="2012-01-01", state="F", start="2017-05-31"),
        establishment("33333333300011", "62.01Z", created="2017-01-01"),  # an office: out of scope
    ]
    sources = {
        "commerces": table(inventory_bytes(), "commerces", "commerces.csv"),
        "comptage-sites": table(SITES.encode("utf-8"), "comptage-sites", "sites.csv"),
        "sirene-etablissements": table(sirene_file(sirene_rows), "sirene-etablissements", "sirene.csv"),
    }
    assert len(read_sirene(sources["sirene-etablissements"])) == 2
    out = build_tables(sources, today=date(2018, 6, 1))
    assert sorted(out) == ["commerce_mix", "commerce_point", "commerce_sirene", "commerce_stock", "commerce_unit"]
    assert sorted(out["commerce_unit"]["year"].unique()) == [2015, 2016, 2017, 2018]
    assert not {"start_date", "end_date", "naf_code", "siret"} & set(out["commerce_unit"].columns)
    assert len(out["commerce_unit"]) == 3 + 4 + 5 + 5
    stock = out["commerce_stock"].set_index(["year", "iris_code"])
    assert stock.loc[(2018, C)].tolist() == [0, 0, 1, 1] and stock.loc[(2017, B)].tolist() == [3, 1, 1, 0]
    assert out["commerce_mix"]["businesses"].sum() == 3 + 2 + 3 + 4
    points = {(r.site_id, r.year): (r.units, r.vacant) for r in out["commerce_point"].itertuples()}
    # U1 and U2 are within 15 m of P-RONVILLE; the Rue Gambetta units are about 600 m away.
    assert points[("P-RONVILLE", 2016)] == (2, 1) and points[("P-RONVILLE", 2018)] == (2, 0)
    assert points[("P-LOIN", 2016)] == (0, 0)
    sirene = {(r.year, r.category): (r.created, r.closed, r.active) for r in out["commerce_sirene"].itertuples()}
    assert sirene[(2016, "alimentaire")] == (1, 0, 1)
    assert sirene[(2017, "cafe-hotel-restaurant")] == (0, 1, 0)
    assert sirene[(2015, "cafe-hotel-restaurant")] == (0, 0, 1)
