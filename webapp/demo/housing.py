"""Deterministic demo files in the official formats, for data the city has not published yet.

Demo data is labelled as such wherever it shows (the dataset's `is_demo`). Each generator writes the
exact format of the official file, so that the same importer reads the demo file today and the real
file when an editor uploads it.

`dvf_sales`: sales of flats and houses in the town in Etalab's geo-dvf CSV format, calibrated on the
real quarterly median price per m² of the département (DVF, `data/sources/housing/`) and on the size
of the town: about `sales_per_year` sales a year, following the département's yearly volume. About
one sale in a hundred gets a price far from its market (a sale between relatives, a share of a
property, a mistyped surface), as in the real files, so that the story's outlier rule has work to do.

`census_housing`: INSEE's "base infracommunale Logement" for the town's IRIS (one vintage), about
`dwellings` dwellings in all; the town-wide shares below are the demo's assumptions for a
préfecture town of the north of France, each IRIS drawing its own mix around them.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from shapely.geometry import shape

from webapp.demo.geometry import point_in

DVF_COLUMNS = [
    "id_mutation", "date_mutation", "numero_disposition", "nature_mutation", "valeur_fonciere", "adresse_numero",
    "adresse_suffixe", "adresse_nom_voie", "adresse_code_voie", "code_postal", "code_commune", "nom_commune",
    "code_departement", "ancien_code_commune", "ancien_nom_commune", "id_parcelle", "ancien_id_parcelle",
    "numero_volume", "lot1_numero", "lot1_surface_carrez", "lot2_numero", "lot2_surface_carrez", "lot3_numero",
    "lot3_surface_carrez", "lot4_numero", "lot4_surface_carrez", "lot5_numero", "lot5_surface_carrez",
    "nombre_lots", "code_type_local", "type_local", "surface_reelle_bati", "nombre_pieces_principales",
    "code_nature_culture", "nature_culture", "code_nature_culture_speciale", "nature_culture_speciale",
    "surface_terrain", "longitude", "latitude",
]
TOWN_FACTOR = {"Appartement": 1.0, "Maison": 1.2}  # a préfecture town against its département
FLAT_SHARE = 0.5
SURFACE = {"Appartement": (60.0, 0.35, 18, 160), "Maison": (100.0, 0.3, 45, 260)}  # median, spread, bounds
OFF_MARKET = 0.01  # share of sales at a price far from the market (see the module's docstring)
STREETS = ["RUE DES AUGUSTINS", "RUE GAMBETTA", "BD CARNOT", "RUE DE LA PAIX", "AV DU MARECHAL LECLERC",
           "RUE SAINT-AUBERT", "RUE ERNESTALE", "RUE DE BERNEVILLE", "RUE DU TEMPLE", "AV JEAN JAURES"]


@dataclass(frozen=True)
class Medians:
    """Median price per m² by (year, quarter, type) of the département."""

    values: dict[tuple[int, int, str], float]
    volumes: dict[int, int]  # sales per year in the département

    @classmethod
    def read(cls, path: Path, department: str) -> Medians:
        values, volumes = {}, {}
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["Department"] != department or row["Type"] not in TOWN_FACTOR:
                    continue
                year, month = int(row["Date"][:4]), int(row["Date"][5:7])
                values[(year, (month - 1) // 3 + 1, row["Type"])] = float(row["PrixM2Median"])
                volumes[year] = volumes.get(year, 0) + int(row["NbVentes"])
        return cls(values, volumes)

    def at(self, year: int, quarter: int, kind: str) -> float | None:
        return self.values.get((year, quarter, kind))


def dvf_sales(iris_geojson: Path, medians: Medians, commune: str, commune_name: str, years: range,
              sales_per_year: int = 800, seed: int = 62041) -> bytes:
    """The demo DVF file (UTF-8, `,`), the same bytes for the same arguments."""
    rng = random.Random(seed)
    features = sorted(json.loads(iris_geojson.read_text(encoding="utf-8"))["features"],
                      key=lambda f: f["properties"]["CODE_IRIS"])
    iris = [(f["properties"]["CODE_IRIS"], shape(f["geometry"])) for f in features
            if f["properties"]["INSEE_COM"] == commune]
    # Each quartier has its own price level and its own mix of flats and houses.
    levels = {code: rng.uniform(0.8, 1.25) for code, _ in iris}
    flat_weight = {code: rng.uniform(0.2, 0.9) for code, _ in iris}
    mean_volume = sum(medians.volumes.get(y, 0) for y in years) / max(len(years), 1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DVF_COLUMNS)
    serial = 0
    for year in years:
        count = round(sales_per_year * medians.volumes.get(year, mean_volume) / mean_volume) if mean_volume else 0
        for _ in range(count):
            serial += 1
            day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            quarter = (day.month - 1) // 3 + 1
            kind = "Appartement" if rng.random() < FLAT_SHARE else "Maison"
            code, polygon = rng.choices(iris, weights=[flat_weight[c] if kind == "Appartement" else 1 - flat_weight[c]
                                                       for c, _ in iris])[0]
            median = medians.at(year, quarter, kind) or medians.at(year, 1, kind)
            if median is None:
                continue  # no published median for that period: no demo sale either
            rows = _mutation(rng, serial, day, kind, code, polygon, median * TOWN_FACTOR[kind] * levels[code],
                             commune, commune_name)
            writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _mutation(rng: random.Random, serial: int, day: date, kind: str, iris_code: str, polygon, price_m2: float,
              commune: str, commune_name: str) -> list[list[str]]:
    median, spread, low, high = SURFACE[kind]
    surface = int(min(high, max(low, rng.lognormvariate(0, spread) * median)))
    value = round(price_m2 * rng.lognormvariate(0, 0.22) * surface, -2)
    if rng.random() < OFF_MARKET:
        value = round(value * rng.choice([0.05, 0.1, 8.0]), -2) or 100.0
    nature = "Vente" if rng.random() > 0.03 else "Adjudication"
    lon, lat = point_in(rng, polygon)
    parcel = f"{commune}000{iris_code[-2:]}{rng.randrange(1, 9999):04d}"
    base = dict.fromkeys(DVF_COLUMNS, "") | {
        "id_mutation": f"{day.year}-{serial}", "date_mutation": day.isoformat(), "numero_disposition": "000001",
        "nature_mutation": nature, "valeur_fonciere": f"{value:.0f}", "adresse_numero": str(rng.randrange(1, 120)),
        "adresse_nom_voie": rng.choice(STREETS), "code_postal": "62000", "code_commune": commune,
        "nom_commune": commune_name, "code_departement": commune[:2], "id_parcelle": parcel,
        "longitude": f"{lon:.6f}", "latitude": f"{lat:.6f}",
    }
    rooms = str(max(1, round(surface / (22 if kind == "Appartement" else 25))))
    dwelling = base | {"code_type_local": "2" if kind == "Appartement" else "1", "type_local": kind,
                       "surface_reelle_bati": str(surface), "nombre_pieces_principales": rooms,
                       "code_nature_culture": "" if kind == "Appartement" else "S",
                       "nature_culture": "" if kind == "Appartement" else "sols"}
    rows = []
    if kind == "Appartement":
        lot = str(rng.randrange(1, 300))
        rows.append(dwelling | {"lot1_numero": lot, "lot1_surface_carrez": f"{surface * 0.97:.2f}", "nombre_lots": "1"})
    else:
        land = rng.randrange(80, 900)
        rows.append(dwelling | {"surface_terrain": str(land)})
        if rng.random() < 0.4:  # the same house again on its garden's row, as DVF writes it
            rows.append(dwelling | {"code_nature_culture": "J", "nature_culture": "jardins",
                                    "surface_terrain": str(rng.randrange(50, 600))})
    if rng.random() < 0.25:  # a cellar, a garage or a parking space sold with it
        rows.append(base | {"code_type_local": "3", "type_local": "Dépendance", "nombre_pieces_principales": "0"})
    return [[r[c] for c in DVF_COLUMNS] for r in rows]


CENSUS_COLUMNS = ["IRIS", "REG", "DEP", "UU2020", "COM", "LIBCOM", "TRIRIS", "GRD_QUART", "LIBIRIS", "TYP_IRIS",
                  "MODIF_IRIS", "LAB_IRIS", "P{yy}_LOG", "P{yy}_RP", "P{yy}_RSECOCC", "P{yy}_LOGVAC",
                  "P{yy}_MAISON", "P{yy}_APPART", "P{yy}_RP_PROP", "P{yy}_RP_LOC", "P{yy}_RP_LOCHLMV",
                  "P{yy}_RP_GRAT"]
# Town-wide shares the demo IRIS vary around (assumptions, not measurements).
CENSUS_SHARES = {"second_homes": 0.015, "vacant": 0.10, "houses": 0.42, "owners": 0.38, "social": 0.27}


def census_housing(iris_geojson: Path, commune: str, commune_name: str, year: int, dwellings: int = 24_000,
                   seed: int = 62041) -> bytes:
    """The demo census file (`;`, UTF-8, decimal point, as INSEE's CSV), the same bytes for the same arguments.

    Counts are decimals, as INSEE's weighted estimates are.
    """
    rng = random.Random(seed)
    features = sorted(json.loads(iris_geojson.read_text(encoding="utf-8"))["features"],
                      key=lambda f: f["properties"]["CODE_IRIS"])
    features = [f for f in features if f["properties"]["INSEE_COM"] == commune]
    weights = [rng.uniform(0.5, 1.5) for _ in features]
    yy = f"{year % 100:02d}"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([c.format(yy=yy) for c in CENSUS_COLUMNS])
    s = CENSUS_SHARES
    for feature, weight in zip(features, weights):
        props = feature["properties"]
        total = dwellings * weight / sum(weights) * rng.uniform(0.97, 1.03)
        houses = total * min(0.95, max(0.03, rng.gauss(s["houses"], 0.2)))
        vacant = total * min(0.25, max(0.03, rng.gauss(s["vacant"], 0.03)))
        second = total * min(0.06, max(0.0, rng.gauss(s["second_homes"], 0.008)))
        main = total - vacant - second
        owners = main * min(0.85, max(0.1, rng.gauss(s["owners"], 0.15)))
        social = main * min(0.7, max(0.0, rng.gauss(s["social"], 0.15)))
        free = main * rng.uniform(0.01, 0.03)
        tenants = main - owners - free
        social = min(social, tenants)
        values = [total, main, second, vacant, houses, total - houses, owners, tenants, social, free]
        writer.writerow([props["CODE_IRIS"], "32", commune[:2], "62401", commune, commune_name,
                         props["CODE_IRIS"][5:], props["CODE_IRIS"][5:7], props["NOM_IRIS"], "H", "00", "1",
                         *(f"{v:.6f}".rstrip("0").rstrip(".") for v in values)])
    return out.getvalue().encode("utf-8")


def write_files(sources: Path, department: str = "62", commune: str = "62041", commune_name: str = "Arras") -> list[Path]:
    """(Re)write the shipped demo files from the shipped real ones; returns their paths."""
    iris = sources / "geo" / "iris-2020-arras-62041.geojson"
    medians = Medians.read(sources / "housing" / "dvf-prix-medians-trimestriels-par-departement-2014-2025.csv",
                           department)
    files = {
        sources / "housing" / DEMO_DVF: dvf_sales(iris, medians, commune, commune_name, DEMO_YEARS),
        sources / "housing" / DEMO_CENSUS: census_housing(iris, commune, commune_name, 2019),
    }
    for path, content in files.items():
        path.write_bytes(content)
    return list(files)


DEMO_YEARS = range(2016, 2026)
DEMO_DVF = "demo-dvf-arras-2016-2025.csv"
DEMO_CENSUS = "demo-base-ic-logement-2019-arras.csv"
