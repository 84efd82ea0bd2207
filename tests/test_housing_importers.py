"""The DVF importer on an excerpt in the official geo-dvf format, multi-row sales included."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest

from webapp.data.importers.housing import read_dvf_sales
from webapp.data.schema import load_schema, validate
from webapp.data.tabular import read_table

HEADER = (
    "id_mutation,date_mutation,numero_disposition,nature_mutation,valeur_fonciere,adresse_numero,adresse_suffixe,"
    "adresse_nom_voie,adresse_code_voie,code_postal,code_commune,nom_commune,code_departement,ancien_code_commune,"
    "ancien_nom_commune,id_parcelle,ancien_id_parcelle,numero_volume,lot1_numero,lot1_surface_carrez,lot2_numero,"
    "lot2_surface_carrez,lot3_numero,lot3_surface_carrez,lot4_numero,lot4_surface_carrez,lot5_numero,"
    "lot5_surface_carrez,nombre_lots,code_type_local,type_local,surface_reelle_bati,nombre_pieces_principales,"
    "code_nature_culture,nature_culture,code_nature_culture_speciale,nature_culture_speciale,surface_terrain,"
    "longitude,latitude"
)
COLUMNS = HEADER.split(",")


def row(mutation: str, price: str, type_local: str = "", surface: str = "", rooms: str = "", *, parcel: str,
        nature: str = "Vente", date: str = "2022-05-12", disposition: str = "000001", lot: str = "",
        culture: str = "S", land: str = "", lon: str = "2.7775", lat: str = "50.2910") -> str:
    code = {"Maison": "1", "Appartement": "2", "Dépendance": "3", "Local industriel. commercial ou assimilé": "4"}
    cells = dict.fromkeys(COLUMNS, "")
    cells |= {
        "id_mutation": mutation, "date_mutation": date, "numero_disposition": disposition,
        "nature_mutation": nature, "valeur_fonciere": price, "adresse_nom_voie": "RUE DES TESTS",
        "code_postal": "62000", "code_commune": "62041", "nom_commune": "Arras", "code_departement": "62",
        "id_parcelle": parcel, "lot1_numero": lot, "nombre_lots": "1" if lot else "0",
        "code_type_local": code.get(type_local, ""), "type_local": type_local, "surface_reelle_bati": surface,
        "nombre_pieces_principales": rooms, "code_nature_culture": culture,
        "nature_culture": {"S": "sols", "J": "jardins", "AB": "terrains a bâtir"}[culture],
        "surface_terrain": land, "longitude": lon, "latitude": lat,
    }
    return ",".join(f'"{v}"' if "," in v else v for v in cells.values())


# Each mutation tests one rule of the importer; expected outcomes are worked out by hand below.
EXCERPT = "\n".join([
    HEADER,
    # M1: a house over two land-use rows of its parcel (the local repeats) and an outbuilding.
    row("2022-1", "150000", "Maison", "100", "5", parcel="620410000AB0001", culture="S", land="300"),
    row("2022-1", "150000", "Maison", "100", "5", parcel="620410000AB0001", culture="J", land="200"),
    row("2022-1", "150000", "Dépendance", "", "0", parcel="620410000AB0001", lot=""),
    # M2: two flats of one building sold together: surfaces add up.
    row("2022-2", "200000", "Appartement", "40", "2", parcel="620410000AC0002", lot="12"),
    row("2022-2", "200000", "Appartement", "60", "3", parcel="620410000AC0002", lot="13"),
    # M3: a house and a flat in one sale: two dwelling types, left out.
    row("2022-3", "300000", "Maison", "90", "4", parcel="620410000AD0003"),
    row("2022-3", "300000", "Appartement", "50", "2", parcel="620410000AD0004", lot="1"),
    # M4: an auction, left out.
    row("2022-4", "80000", "Maison", "70", "3", parcel="620410000AE0005", nature="Adjudication"),
    # M5: a house with business premises, left out.
    row("2022-5", "400000", "Maison", "120", "5", parcel="620410000AF0006"),
    row("2022-5", "400000", "Local industriel. commercial ou assimilé", "80", "0", parcel="620410000AF0006"),
    # M6: two dispositions priced separately, left out.
    row("2022-6", "90000", "Appartement", "45", "2", parcel="620410000AG0007", lot="3"),
    row("2022-6", "110000", "Appartement", "55", "3", parcel="620410000AG0007", lot="4", disposition="000002"),
    # M7: land only, no dwelling.
    row("2022-7", "50000", parcel="620410000AH0008", culture="AB", land="600"),
    # M8: a flat with no built surface, left out.
    row("2022-8", "70000", "Appartement", "", "2", parcel="620410000AI0009", lot="7"),
    # M9: a flat sold in 2021.
    row("2021-9", "99000", "Appartement", "45", "2", parcel="620410000AJ0010", lot="8", date="2021-11-30"),
])


@pytest.fixture(scope="module")
def sales():
    table = read_table(EXCERPT.encode("utf-8"), "62041.csv")
    frame, report = validate(load_schema("dvf"), table.frame)
    assert report.ok, report.text()
    return read_dvf_sales(frame).set_index("id_mutation")


def test_only_single_type_priced_sales_with_a_surface_are_kept(sales):
    assert sorted(sales.index) == ["2021-9", "2022-1", "2022-2"]


def test_a_local_repeated_on_its_parcels_land_uses_counts_once(sales):
    house = sales.loc["2022-1"]
    assert house["dwelling_type"] == "maison"
    assert house["dwellings"] == 1
    assert house["surface"] == 100
    assert house["price_m2"] == pytest.approx(150000 / 100)
    assert house["rooms"] == 5


def test_dwellings_of_one_sale_add_their_surfaces(sales):
    flats = sales.loc["2022-2"]
    assert flats["dwelling_type"] == "appartement"
    assert flats["dwellings"] == 2
    assert flats["surface"] == 40 + 60
    assert flats["price_m2"] == pytest.approx(200000 / (40 + 60))


def test_sale_dates_give_the_year(sales):
    assert sales.loc["2021-9", "year"] == 2021
    assert sales.loc["2022-1", "year"] == 2022
    assert sales.loc["2021-9", "commune_code"] == "62041"


def test_french_csv_quirks_read_the_same(sales):
    """The excerpt saved by a spreadsheet: `;`, Windows-1252, decimal commas, dd/mm/yyyy dates."""
    lines = [line.split(",") for line in EXCERPT.splitlines()]
    date_col, lon_col, lat_col = (COLUMNS.index(c) for c in ("date_mutation", "longitude", "latitude"))
    french = []
    for i, cells in enumerate(lines):
        if i:
            y, m, d = cells[date_col].split("-")
            cells[date_col] = f"{d}/{m}/{y}"
            cells[lon_col], cells[lat_col] = cells[lon_col].replace(".", ","), cells[lat_col].replace(".", ",")
        french.append(";".join(cells))
    table = read_table("\r\n".join(french).encode("cp1252"), "dvf-62041.csv")
    assert table.encoding == "Windows-1252" and table.separator == ";"
    frame, report = validate(load_schema("dvf"), table.frame)
    assert report.ok, report.text()
    again = read_dvf_sales(frame).set_index("id_mutation")
    assert sorted(again.index) == sorted(sales.index)
    assert again["price_m2"].tolist() == pytest.approx(sales["price_m2"].tolist())
    assert again["latitude"].tolist() == pytest.approx(sales["latitude"].tolist())


def test_a_bad_dvf_file_is_reported_line_by_line():
    lines = EXCERPT.splitlines()
    broken = lines[:2] + [lines[2].replace("2022-05-12", "2022-13-45")] + lines[3:]
    _, report = validate(load_schema("dvf"), read_table("\n".join(broken).encode(), "dvf.csv").frame)
    assert not report.ok
    assert [(p.line, p.column) for p in report.problems] == [(3, "date_mutation")]


def test_a_header_below_title_lines_is_found():
    """INSEE's files open with a title, a source line and French labels above the column codes."""
    from tests.helpers import SOURCES

    path = SOURCES / "geo" / "filosofi-2019-revenus-declares-iris-dep62.csv"
    content = path.read_bytes()
    table = read_table(content, path.name, ["IRIS", "COM", "DEC_MED19"])
    lines = content.decode("utf-8-sig").splitlines()
    codes_line = next(i for i, line in enumerate(lines, start=1) if line.startswith("IRIS;LIBIRIS;"))
    assert list(table.frame.columns) == lines[codes_line - 1].split(";")
    assert table.frame.index[0] == codes_line + 1  # problems are reported on the file's own lines
    assert len(table.frame) == len(lines) - codes_line
    arras = table.frame[table.frame["COM"] == "62041"]
    assert len(arras) == 16
    # Without the expected names the first line stays the header: nothing is guessed.
    assert "IRIS" not in read_table(content, path.name).frame.columns


def test_an_xlsx_header_below_title_rows_is_found(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Titre du fichier"])
    sheet.append(["Source : Insee"])
    sheet.append(["IRIS", "COM", "DEC_MED19"])
    sheet.append(["620410101", "62041", 14770])
    path = tmp_path / "filo.xlsx"
    book.save(path)
    table = read_table(path.read_bytes(), "filo.xlsx", ["IRIS", "COM", "DEC_MED19"])
    assert list(table.frame.columns) == ["IRIS", "COM", "DEC_MED19"]
    assert table.frame.index.tolist() == [4]
    assert table.frame.iloc[0].tolist() == ["620410101", "62041", "14770"]


# --- INSEE files: columns named after their vintage --------------------------------------------------

CENSUS_HEADER = ("IRIS;REG;DEP;COM;LIBCOM;LIBIRIS;TYP_IRIS;P{yy}_LOG;P{yy}_RP;P{yy}_RSECOCC;P{yy}_LOGVAC;"
                 "P{yy}_MAISON;P{yy}_APPART;P{yy}_RP_PROP;P{yy}_RP_LOC;P{yy}_RP_LOCHLMV")
CENSUS_ROWS = [
    "620410101;32;62;62041;Arras;Blancs Monts Baudimont 1;H;1204.3;1100.9;12.1;91.3;210.6;990.2;300.4;790.1;512.7",
    "620410201;32;62;62041;Arras;Hyper Centre;H;2101.0;1711.5;80.2;309.3;98.0;1995.5;520.0;1180.5;40.1",
]


def census_file(yy: str) -> bytes:
    return "\n".join([CENSUS_HEADER.format(yy=yy), *CENSUS_ROWS]).encode("utf-8")


@pytest.mark.parametrize("yy", ["19", "20"])
def test_census_housing_by_iris_is_read_whatever_its_vintage(yy):
    from webapp.data.importers.housing import read_census_housing

    frame, report = validate(load_schema("logement-iris"), read_table(census_file(yy), f"base-ic-logement-20{yy}.csv").frame)
    assert report.ok, report.text()
    housing = read_census_housing(frame).set_index("iris_code")
    assert set(housing["year"]) == {2000 + int(yy)}
    cells = dict(zip(CENSUS_HEADER.format(yy=yy).split(";"), CENSUS_ROWS[1].split(";")))
    centre = housing.loc["620410201"]
    assert centre["dwellings"] == pytest.approx(float(cells[f"P{yy}_LOG"]))
    assert centre["vacant"] == pytest.approx(float(cells[f"P{yy}_LOGVAC"]))  # weighted: decimals kept
    assert centre["flats"] == pytest.approx(float(cells[f"P{yy}_APPART"]))
    assert centre["social_tenants"] == pytest.approx(float(cells[f"P{yy}_RP_LOCHLMV"]))


def test_a_file_mixing_two_vintages_is_refused_in_french():
    header = CENSUS_HEADER.format(yy="19").replace("P19_LOGVAC", "P20_LOGVAC")
    table = read_table("\n".join([header, *CENSUS_ROWS]).encode("utf-8"), "logement.csv")
    _, report = validate(load_schema("logement-iris"), table.frame)
    assert not report.ok
    assert report.problems[0].line == 1
    assert "plusieurs millésimes" in report.problems[0].rule_fr and "2020 : P20_LOGVAC" in report.problems[0].rule_fr


def test_filosofi_income_by_iris_as_published():
    import csv

    from tests.helpers import SOURCES
    from webapp.data.importers.housing import read_filosofi

    path = SOURCES / "geo" / "filosofi-2019-revenus-declares-iris-dep62.csv"
    income = read_filosofi(path).set_index("iris_code")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("IRIS;LIBIRIS;"))
    raw = list(csv.DictReader(lines[start:], delimiter=";"))
    assert len(income) == len(raw) == 210
    assert set(income["year"]) == {2019}
    arras = [r for r in raw if r["COM"] == "62041"]
    assert len(arras) == 16
    for r in arras:
        median = income.loc[r["IRIS"], "median_income"]
        assert (pd.isna(median) if not r["DEC_MED19"] else median == float(r["DEC_MED19"].replace(",", ".")))
        rate = income.loc[r["IRIS"], "low_income_rate"]
        assert (pd.isna(rate) if not r["DEC_TP6019"] else rate == pytest.approx(float(r["DEC_TP6019"].replace(",", "."))))
    # INSEE leaves confidential cells empty: they stay missing, never zero.
    assert income["low_income_rate"].isna().sum() == sum(1 for r in raw if not r["DEC_TP6019"])


# --- several identical dwellings in one sale ---------------------------------------------------------

# Sales of flats in 2023 (geo-dvf rows). M1 sells three identical flats of one building (same type,
# surface and rooms, their own lots); M6 two identical houses of one parcel, each written on the
# parcel's two land uses (four rows, two houses).
IDENTICAL = "\n".join([
    HEADER,
    row("2023-1", "240000", "Appartement", "40", "2", parcel="620410000BA0001", lot="21", date="2023-03-01"),
    row("2023-1", "240000", "Appartement", "40", "2", parcel="620410000BA0001", lot="22", date="2023-03-01"),
    row("2023-1", "240000", "Appartement", "40", "2", parcel="620410000BA0001", lot="23", date="2023-03-01"),
    row("2023-2", "100000", "Appartement", "50", "2", parcel="620410000BB0002", lot="4", date="2023-04-01"),
    row("2023-3", "130000", "Appartement", "60", "3", parcel="620410000BC0003", lot="5", date="2023-05-01"),
    row("2023-4", "150000", "Appartement", "70", "3", parcel="620410000BD0004", lot="6", date="2023-06-01"),
    row("2023-5", "90000", "Appartement", "45", "2", parcel="620410000BE0005", lot="7", date="2023-07-01"),
    row("2023-6", "300000", "Maison", "80", "4", parcel="620410000BF0006", culture="S", land="200",
        date="2023-08-01"),
    row("2023-6", "300000", "Maison", "80", "4", parcel="620410000BF0006", culture="J", land="300",
        date="2023-08-01"),
    row("2023-6", "300000", "Maison", "80", "4", parcel="620410000BF0006", culture="S", land="200",
        date="2023-08-01"),
    row("2023-6", "300000", "Maison", "80", "4", parcel="620410000BF0006", culture="J", land="300",
        date="2023-08-01"),
])


def _raw_flat_prices(text: str) -> list[float]:
    """Price per m² of each flat sale, from the raw rows: price over the surfaces of all its rows."""
    import csv

    mutations: dict[str, list[dict]] = {}
    for r in csv.DictReader(text.splitlines()):
        mutations.setdefault(r["id_mutation"], []).append(r)
    return [float(rs[0]["valeur_fonciere"]) / sum(float(r["surface_reelle_bati"]) for r in rs)
            for rs in mutations.values() if all(r["type_local"] == "Appartement" for r in rs)]


@pytest.fixture(scope="module")
def identical():
    frame, report = validate(load_schema("dvf"), read_table(IDENTICAL.encode("utf-8"), "62041.csv").frame)
    assert report.ok, report.text()
    return read_dvf_sales(frame)


def test_identical_flats_sold_together_each_count(identical):
    flats = identical.set_index("id_mutation").loc["2023-1"]
    assert flats["dwellings"] == 3
    assert flats["surface"] == 3 * 40
    assert flats["rooms"] == 3 * 2
    assert flats["price_m2"] == pytest.approx(240000 / 120)


def test_identical_houses_on_two_land_uses_count_once_per_house(identical):
    houses = identical.set_index("id_mutation").loc["2023-6"]
    assert houses["dwellings"] == 2
    assert houses["surface"] == 2 * 80
    assert houses["price_m2"] == pytest.approx(300000 / 160)


def test_the_towns_median_counts_every_identical_flat(identical):
    from webapp.data.importers.housing import price_spans, set_aside_outliers

    sales = identical.assign(iris_code="620410101")
    sales["outlier"] = set_aside_outliers(sales)
    spans = price_spans(sales)
    town = spans[(spans["iris_code"] == "") & (spans["dwelling_type"] == "appartement")
                 & (spans["year_from"] == 2023) & (spans["year_to"] == 2023)].iloc[0]
    expected = _raw_flat_prices(IDENTICAL)
    assert len(expected) == 5 and town["sales"] == 5
    assert town["median_price_m2"] == pytest.approx(statistics.median(expected))
