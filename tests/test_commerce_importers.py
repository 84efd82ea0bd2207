"""The commerce importers on excerpts: the city's inventory as a spreadsheet saves it, Sirene as INSEE publishes it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from webapp.data.importers.commerce import (
    inventory_problems,
    lambert93_to_wgs84,
    read_inventory,
    read_sirene,
    vacancy_by_year,
    wgs84_to_lambert93,
)
from webapp.data.schema import load_schema, validate
from webapp.data.tabular import read_table

HYPERCENTRE = ["620410801"]
INVENTORY_HEADER = ("id_cellule;date_debut;date_fin;statut;numero;voie;code_iris;longitude;latitude;activite;"
                    "type_exploitation;nom_commerce;code_naf;siret")
# Four units, each testing a rule; the year-end states and flows are worked out by hand below.
INVENTORY_ROWS = [
    # C1, hypercentre: a shop, a vacancy, then a chain's snack bar, still open.
    ("C1;15/03/2012;30/06/2017;occupé;12 bis;Rue Ernestale;620410801;2,7781;50,2901;equipement-personne;indépendant;"
     "Boutique Lina;47.71Z;"),
    "C1;30/06/2017;01/02/2019;vacant;12 bis;Rue Ernestale;620410801;2,7781;50,2901;;;;;",
    ("C1;01/02/2019;;occupé;12 bis;Rue Ernestale;620410801;2,7781;50,2901;cafe-hotel-restaurant;enseigne;Snack Express;"
     "56.10C;12345678900021"),
    # C2, hypercentre: vacant since 2014, a pharmacy from 2016 taken over by an optician on 31 December 2017.
    "C2;01/09/2014;10/05/2016;vacant;3;Place des Héros;620410801;2,7768;50,2912;;;;;",
    ("C2;10/05/2016;31/12/2017;occupé;3;Place des Héros;620410801;2,7768;50,2912;hygiene-sante-beaute;indépendant;"
     "Pharmacie des Héros;47.73Z;"),
    "C2;31/12/2017;;occupé;3;Place des Héros;620410801;2,7768;50,2912;hygiene-sante-beaute;enseigne;Vue Claire;47.78A;",
    # C3, Préfecture: a café closes in 2016, the unit stays vacant, then becomes housing in March 2018.
    ("C3;01/01/2000;15/08/2016;occupé;40;Boulevard Carnot;620410601;2,7850;50,2870;cafe-hotel-restaurant;indépendant;"
     "Café de la Gare;56.30Z;"),
    "C3;15/08/2016;01/03/2018;vacant;40;Boulevard Carnot;620410601;2,7850;50,2870;;;;;",
    # C4, Préfecture: a new unit, first let in December 2016.
    "C4;12/12/2016;;occupé;7;Rue Gambetta;620410601;2,7795;50,2868;alimentaire;indépendant;Boulangerie Taffin;10.71C;",
]


def inventory_file(rows: list[str] = INVENTORY_ROWS) -> bytes:
    """As a French spreadsheet saves it: `;`, UTF-8 with BOM, CRLF, JJ/MM/AAAA, decimal commas."""
    return "\r\n".join([INVENTORY_HEADER, *rows]).encode("utf-8-sig")


def check(content: bytes, slug: str, name: str) -> tuple[pd.DataFrame, object]:
    table = read_table(content, name, load_schema(slug).names)
    return validate(load_schema(slug), table.frame)


@pytest.fixture(scope="module")
def inventory():
    frame, report = check(inventory_file(), "commerces", "commerces-arras.csv")
    assert report.ok, report.text()
    return read_inventory(frame)


def test_the_inventory_is_read_with_its_french_quirks(inventory):
    table = read_table(inventory_file(), "commerces.csv")
    assert table.encoding == "UTF-8 (BOM)" and table.separator == ";"
    assert len(inventory) == len(INVENTORY_ROWS)
    first = inventory.iloc[0]
    assert first["unit_id"] == "C1" and first["street_number"] == "12 bis" and first["street"] == "Rue Ernestale"
    assert first["start_date"] == pd.Timestamp("2012-03-15") and first["end_date"] == pd.Timestamp("2017-06-30")
    assert first["longitude"] == pytest.approx(2.7781) and first["latitude"] == pytest.approx(50.2901)
    assert first["category"] == "equipement-personne" and bool(first["independent"]) and not first["vacant"]
    vacancy = inventory.iloc[1]
    assert vacancy["vacant"] and pd.isna(vacancy["independent"]) and vacancy["category"] is None
    assert pd.isna(inventory.iloc[2]["end_date"])  # still open
    assert inventory.iloc[2]["siret"] == "12345678900021" and inventory.iloc[2]["independent"] == False


def test_the_same_inventory_in_iso_dates_and_commas_reads_the_same(inventory, tmp_path):
    plain = [INVENTORY_HEADER.replace(";", ",")]
    for row in INVENTORY_ROWS:
        cells = row.split(";")
        for i in (1, 2):
            if cells[i]:
                d, m, y = cells[i].split("/")
                cells[i] = f"{y}-{m}-{d}"
        cells[7], cells[8] = cells[7].replace(",", "."), cells[8].replace(",", ".")
        plain.append(",".join(cells))
    path = tmp_path / "commerces.csv"
    path.write_text("\n".join(plain), encoding="utf-8")
    again = read_inventory(path)  # a shipped file's path, read without the upload's validation
    pd.testing.assert_frame_equal(again.reset_index(drop=True), inventory.reset_index(drop=True))


def test_vacancy_openings_and_closures_per_year(inventory):
    table = vacancy_by_year(inventory, range(2015, 2020), HYPERCENTRE).set_index(["perimeter", "year"])
    town, hyper = table.loc["commune"], table.loc["hypercentre"]
    # Year-end stock: C4 appears in 2016, C3 leaves in 2018; a takeover on 31/12 leaves no vacancy.
    assert town["units"].tolist() == [3, 4, 4, 3, 3]
    assert town["vacant"].tolist() == [1, 1, 2, 1, 0]
    assert hyper["units"].tolist() == [2, 2, 2, 2, 2]
    assert hyper["vacant"].tolist() == [1, 0, 1, 1, 0]
    assert town["vacancy_rate"].tolist() == pytest.approx([1 / 3, 1 / 4, 2 / 4, 1 / 3, 0])
    # Openings: C2 and C4 in 2016, the optician in 2017, the snack bar in 2019; closures: the café
    # in 2016, the boutique and the pharmacy in 2017; C3's conversion ends a vacancy, not a business.
    assert town["openings"].tolist() == [0, 2, 1, 0, 1]
    assert town["closures"].tolist() == [0, 1, 2, 0, 0]
    assert hyper["openings"].tolist() == [0, 1, 1, 0, 1]
    assert hyper["closures"].tolist() == [0, 0, 2, 0, 0]


def test_vacancy_by_year_columns_and_types(inventory):
    table = vacancy_by_year(inventory, [2017, 2016, 2030], HYPERCENTRE)
    assert list(table.columns) == ["year", "perimeter", "units", "vacant", "vacancy_rate", "openings", "closures"]
    assert table["year"].tolist() == [2016, 2017, 2030, 2016, 2017, 2030]  # sorted, per perimeter
    assert all(str(table[c].dtype) == "int64" for c in ("year", "units", "vacant", "openings", "closures"))
    assert table["vacancy_rate"].dtype == float
    # An empty perimeter has no rate rather than a division by zero.
    assert math.isnan(vacancy_by_year(inventory, [2016], ["620419999"]).iloc[1]["vacancy_rate"])


def test_a_bad_inventory_file_is_reported_in_french_by_line_and_column():
    rows = list(INVENTORY_ROWS)
    rows[0] = rows[0].replace(";occupé;", ";fermé;")  # line 2
    rows[2] = rows[2].replace("01/02/2019", "31/02/2019")  # line 4: no such day
    rows[3] = rows[3].replace("620410801", "62041081")  # line 5: not an IRIS code
    rows[6] = rows[6].replace("cafe-hotel-restaurant", "bar")  # line 8
    rows.append(rows[8])  # line 11: the same unit and start date again
    _, report = check(inventory_file(rows), "commerces", "commerces.csv")
    assert not report.ok
    found = [(p.line, p.column) for p in report.problems]
    assert found == [(2, "statut"), (4, "date_debut"), (5, "code_iris"), (8, "activite"),
                     (10, "id_cellule + date_debut"), (11, "id_cellule + date_debut")]
    text = report.text("fr")
    assert "ligne 2, colonne « statut », valeur « fermé » : Valeur non autorisée. Valeurs possibles : occupé, vacant." in text
    assert "ligne 4, colonne « date_debut », valeur « 31/02/2019 » : Type attendu : date" in text
    assert "ligne 8, colonne « activite », valeur « bar »" in text
    assert "Clé en double" in text


def test_rules_across_rows_are_reported_by_line():
    rows = list(INVENTORY_ROWS)
    rows[1] = rows[1].replace("30/06/2017;01/02/2019", "30/06/2017;01/02/2016")  # line 3: ends before it starts
    rows[4] = rows[4].replace("10/05/2016", "01/05/2016")  # line 6: before the vacancy of line 5 ends
    rows[8] = rows[8].replace("alimentaire;indépendant", ";indépendant")  # line 10: occupied, no activity
    frame, report = check(inventory_file(rows), "commerces", "commerces.csv")
    assert report.ok  # each row is valid on its own
    problems = inventory_problems(frame)
    assert [(p.line, p.column) for p in problems] == [(3, "date_fin"), (6, "date_debut"), (10, "activite")]
    assert "ne doivent pas se chevaucher" in problems[1].rule_fr and "(ligne 5)" in problems[1].rule_fr
    assert inventory_problems(check(inventory_file(), "commerces", "c.csv")[0]) == []


# --- Sirene -----------------------------------------------------------------------------------------

SIRENE_HEADER = (
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,"
    "anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,"
    "indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,"
    "typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,"
    "libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,"
    "codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,"
    "identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,"
    "complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,"
    "libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,"
    "libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,"
    "codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,"
    "libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,"
    "enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,"
    "nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement"
)
SIRENE_COLUMNS = SIRENE_HEADER.split(",")


def establishment(siret: str, naf: str, *, state: str = "A", created: str = "2015-04-01", start: str = "",
                  sign: str = "", usual: str = "", number: str = "12", repetition: str = "", street: str = "ERNESTALE",
                  kind: str = "RUE", commune: str = "62041", x: str = "684124.1", y: str = "7021481.4",
                  diffusion: str = "O", head: str = "true", employer: str = "N", nomenclature: str = "NAFRev2") -> str:
    cells = dict.fromkeys(SIRENE_COLUMNS, "")
    cells |= {
        "siren": siret[:9], "nic": siret[9:], "siret": siret, "statutDiffusionEtablissement": diffusion,
        "dateCreationEtablissement": created, "trancheEffectifsEtablissement": "NN" if employer == "N" else "01",
        "dateDernierTraitementEtablissement": "2024-05-02T10:11:12", "etablissementSiege": head,
        "nombrePeriodesEtablissement": "1", "numeroVoieEtablissement": number,
        "indiceRepetitionEtablissement": repetition, "typeVoieEtablissement": kind,
        "libelleVoieEtablissement": street, "codePostalEtablissement": "62000",
        "libelleCommuneEtablissement": "ARRAS", "codeCommuneEtablissement": commune,
        "coordonneeLambertAbscisseEtablissement": x, "coordonneeLambertOrdonneeEtablissement": y,
        "dateDebut": start or created, "etatAdministratifEtablissement": state, "enseigne1Etablissement": sign,
        "denominationUsuelleEtablissement": usual, "activitePrincipaleEtablissement": naf,
        "nomenclatureActivitePrincipaleEtablissement": nomenclature, "caractereEmployeurEtablissement": employer,
    }
    return ",".join(f'"{v}"' if "," in v else v for v in cells.values())


SIRENE_ROWS = [
    establishment("11111111100011", "47.71Z", sign="BOUTIQUE LINA", repetition="B"),
    establishment("22222222200011", "56.10A", state="F", start="2021-06-30", sign="LE BEFFROI", employer="O"),
    establishment("33333333300011", "47.91B"),  # online shop: no shop front
    establishment("44444444400011", "47.81Z"),  # market stall
    establishment("55555555500011", "96.02A", diffusion="P", number="[ND]", kind="[ND]", street="[ND]", x="[ND]",
                  y="[ND]"),  # a hairdresser under partial diffusion
    establishment("66666666600011", "10.71C", sign="BOULANGERIE TAFFIN"),  # a craft bakery
    establishment("77777777700011", "47.78A"),  # optician: the subclass wins over class 47.78
    establishment("88888888800011", "47.78C"),
    establishment("99999999900011", "52.4C", state="F", created="1990-01-01", start="2004-12-31",
                  nomenclature="NAFRev1"),  # closed before NAF rév. 2
    establishment("12121212100011", "62.01Z"),  # an office
    establishment("13131313100023", "56.30Z", usual="LE CAFE DES ARTS", head="false"),
    establishment("14141414100011", "47.24Z", commune="97411", x="338000.0", y="7689000.0"),  # Réunion: not Lambert 93
    establishment("15151515100011", "47.30Z"),  # fuel station
]


def sirene_file(rows: list[str] = SIRENE_ROWS, header: str = SIRENE_HEADER) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


@pytest.fixture(scope="module")
def sirene():
    frame, report = check(sirene_file(), "sirene-etablissements", "StockEtablissement_utf8.csv")
    assert report.ok, report.text()
    assert "coordonneeLambertAbscisseEtablissement" in report.ignored_columns  # read by the importer, not checked
    return read_sirene(frame).set_index("siret")


def test_sirene_keeps_shops_restaurants_and_personal_services(sirene):
    assert sorted(sirene.index) == ["11111111100011", "13131313100023", "14141414100011", "22222222200011",
                                    "55555555500011", "66666666600011", "77777777700011", "88888888800011"]
    categories = sirene["category"].to_dict()
    assert categories["11111111100011"] == "equipement-personne"
    assert categories["22222222200011"] == "cafe-hotel-restaurant"
    assert categories["55555555500011"] == "hygiene-sante-beaute"
    assert categories["66666666600011"] == "alimentaire"
    assert categories["77777777700011"] == "hygiene-sante-beaute"
    assert categories["88888888800011"] == "autre"


def test_sirene_states_dates_and_names(sirene):
    restaurant = sirene.loc["22222222200011"]
    assert not restaurant["open"] and restaurant["closed"] == pd.Timestamp("2021-06-30")  # dateDebut of a closed one
    assert restaurant["created"] == pd.Timestamp("2015-04-01") and restaurant["employer"] == True
    shop = sirene.loc["11111111100011"]
    assert shop["open"] and pd.isna(shop["closed"]) and shop["name"] == "BOUTIQUE LINA"
    assert shop["street_number"] == "12 bis" and shop["street"] == "RUE ERNESTALE" and shop["head_office"]
    cafe = sirene.loc["13131313100023"]
    assert cafe["name"] == "LE CAFE DES ARTS" and not cafe["head_office"] and cafe["siren"] == "131313131"
    assert sirene.loc["77777777700011", "name"] is None


def test_sirene_coordinates_from_lambert_93_or_withheld(sirene):
    shop = sirene.loc["11111111100011"]
    assert shop["longitude"] == pytest.approx(2.7775, abs=1e-5) and shop["latitude"] == pytest.approx(50.2910, abs=1e-5)
    hidden = sirene.loc["55555555500011"]
    assert hidden["partial_diffusion"] and hidden["street"] is None and math.isnan(hidden["longitude"])
    assert math.isnan(sirene.loc["14141414100011", "latitude"])  # overseas: another projection


def test_etalabs_geolocated_file_gives_longitude_and_latitude():
    header = SIRENE_HEADER + ",longitude,latitude,geo_score,geo_type,geo_adresse,geo_id,geo_ligne,geo_l4,geo_l5"
    rows = [SIRENE_ROWS[0] + ",2.778100,50.290100,0.95,housenumber,12 bis Rue Ernestale 62000 Arras,,G,,",
            SIRENE_ROWS[5] + ",,,,,,,,,"]  # not geocoded: INSEE's Lambert 93 is used
    frame, report = check(sirene_file(rows, header), "sirene-etablissements", "geo_siret_62.csv")
    assert report.ok, report.text()
    found = read_sirene(frame).set_index("siret")
    assert found.loc["11111111100011", "longitude"] == pytest.approx(2.7781)
    assert found.loc["66666666600011", "longitude"] == pytest.approx(2.7775, abs=1e-5)


def test_a_bad_sirene_file_is_reported_by_line():
    rows = list(SIRENE_ROWS)
    rows[1] = rows[1].replace(",F,", ",X,")  # line 3: state is A or F
    rows[4] = rows[4].replace("55555555500011", "5555555550001")  # line 6: 13 digits
    _, report = check(sirene_file(rows), "sirene-etablissements", "sirene.csv")
    assert [(p.line, p.column) for p in report.problems] == [(3, "etatAdministratifEtablissement"), (6, "siret")]


def test_lambert_93_projection():
    # The projection's origin, and the Eiffel Tower as IGN's converters give it.
    assert wgs84_to_lambert93(3.0, 46.5) == pytest.approx((700_000.0, 6_600_000.0))
    assert wgs84_to_lambert93(2.2945, 48.8584) == pytest.approx((648_237.3, 6_862_271.7), abs=1)
    lon, lat = lambert93_to_wgs84([648_237.3, 700_000.0, float("nan")], [6_862_271.7, 6_600_000.0, 1.0])
    assert lon[:2] == pytest.approx([2.2945, 3.0], abs=1e-5) and lat[:2] == pytest.approx([48.8584, 46.5], abs=1e-5)
    assert math.isnan(lon[2]) and math.isnan(lat[2])
