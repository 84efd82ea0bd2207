"""Readers for the commerce observatory: the city's shop inventory and INSEE's Sirene establishments.

The inventory (`commerces`, a schema of ours, `data/schemas/commerces.json`) has one row per period
of a commercial unit: a business from its opening to its closing ("occupé"), or a vacancy from one
occupant's departure to the next one's arrival ("vacant"). A unit belongs to the stock on a date when
one of its periods covers that date. Periods are half-open, [start, end): a business closing on
30 June is gone on 30 June, and its successor may open that same day (a takeover: one closure, one
opening, no vacancy). `vacancy_by_year` counts, at each year-end (31 December), the units and the
vacant units, and in each year the openings (occupied periods starting) and closures (occupied
periods ending); a unit covered by an occupied and a vacant period at once (a mistake that
`inventory_problems` reports) counts as occupied. The hypercentre is a set of IRIS codes, not a
column: the city's perimeter is configuration (`hypercentre_codes`).

Sirene (`sirene-etablissements`, INSEE's StockEtablissement file as published: CSV, `,`, UTF-8)
lists every establishment, open or closed, in its current state. `read_sirene` keeps those whose
activity (NAF rév. 2) is trade or a service behind a shop window, and maps it to the observatory's
categories (`NAF_CATEGORIES`):

- division 47, retail, except 47.30 (fuel stations), 47.8 (market stalls) and 47.9 (distance and
  door-to-door selling): none of them occupies a shop;
- the craft food shops registered as manufacturers: 10.71C (bakeries, where most French bakeries
  are), 10.71D (pâtisseries) and 10.13B (charcuteries);
- 55.10 (hotels), 56.10 (restaurants, cafeterias, fast food) and 56.30 (cafés and bars); not 56.21
  and 56.29 (event catering, canteens), which serve no public on the street;
- 96.02 (hairdressing, beauty care) and 96.04 (body care), personal services that occupy shops and
  that town-centre inventories count; and a few services à vitrine: 96.01B (dry cleaning), 95.23
  and 95.25 (shoe and watch repair), 79.11 (travel agencies). Estate agencies (68.31) and banks
  (64.19) are left out: most of their establishments are offices or home addresses of agents.

What Sirene cannot say, and why the observatory keeps its own inventory:

- the address is the one the business declared, often the owner's home for a sole trader, or a
  masked "[ND]" under partial diffusion: an establishment is not a shop front;
- nothing on units: a vacant shop is in no file, and a takeover shows as a new establishment;
- the activity is the declared main one, in NAF classes too coarse for a commerce mix (47.78C
  "other specialised retail"), and the sign (`enseigne1Etablissement`) is often empty; the legal
  unit's name is in the other file (StockUniteLegale);
- dates are administrative: creation precedes opening, and closures are declared late or never
  (a closed shop can stay "A", active, for years).

For a closed establishment (state F) `dateDebut`, the start of its current period, is its closing
date. Codes of older nomenclatures (NAFRev1, NAF1993, NAP: establishments closed before 2008) are
left out. Coordinates: `longitude`/`latitude` of Etalab's geolocated file when present, otherwise
INSEE's Lambert 93 columns (format 3.11) projected to WGS84 for metropolitan communes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from webapp.data.schema import Problem, load_schema, normalise
from webapp.data.tabular import read_source

Source = Path | pd.DataFrame

CATEGORIES = ["alimentaire", "equipement-personne", "equipement-maison", "culture-loisirs", "hygiene-sante-beaute",
              "cafe-hotel-restaurant", "services", "autre"]
# NAF rév. 2 prefix (group "47.2", class "47.71" or subclass "47.78A") -> category; the longest prefix wins.
NAF_CATEGORIES = {
    "10.13B": "alimentaire", "10.71C": "alimentaire", "10.71D": "alimentaire",
    "47.11": "alimentaire", "47.19": "autre", "47.2": "alimentaire", "47.26": "culture-loisirs",
    "47.4": "equipement-maison", "47.5": "equipement-maison", "47.6": "culture-loisirs",
    "47.71": "equipement-personne", "47.72": "equipement-personne", "47.77": "equipement-personne",
    "47.73": "hygiene-sante-beaute", "47.74": "hygiene-sante-beaute", "47.75": "hygiene-sante-beaute",
    "47.78A": "hygiene-sante-beaute", "47.76": "equipement-maison", "47.78": "autre", "47.79": "autre",
    "55.10": "cafe-hotel-restaurant", "56.10": "cafe-hotel-restaurant", "56.30": "cafe-hotel-restaurant",
    "96.02": "hygiene-sante-beaute", "96.04": "hygiene-sante-beaute",
    "96.01B": "services", "95.23": "services", "95.25": "services", "79.11": "services",
}
REPETITION = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}

INVENTORY_COLUMNS = ["unit_id", "start_date", "end_date", "vacant", "street_number", "street", "iris_code",
                     "longitude", "latitude", "category", "independent", "name", "naf_code", "siret"]
SIRENE_COLUMNS = ["siret", "siren", "name", "naf_code", "category", "open", "created", "closed", "street_number",
                  "street", "postal_code", "commune_code", "head_office", "employer", "partial_diffusion",
                  "longitude", "latitude"]
VACANCY_COLUMNS = ["year", "perimeter", "units", "vacant", "vacancy_rate", "openings", "closures"]
NEAR_POINT_METRES = 150  # the units around a counting point: the shop fronts its passers-by walk along


def _schema_frame(source: Source, slug: str) -> pd.DataFrame:
    """The table with the schema's normalised cells (normalising an upload's table again changes nothing)."""
    schema = load_schema(slug)
    return normalise(schema, read_source(source, schema.names))


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, format="ISO8601").dt.normalize()


# --- the shop inventory ------------------------------------------------------------------------

def read_inventory(source: Source) -> pd.DataFrame:
    """One row per period of a unit: dates as datetime64 (`end_date` NaT while it lasts), `vacant`
    a bool, `independent` a nullable boolean (NA for a vacancy), coordinates as floats."""
    df = _schema_frame(source, "commerces")
    return pd.DataFrame({
        "unit_id": df["id_cellule"], "start_date": _dates(df["date_debut"]), "end_date": _dates(df["date_fin"]),
        "vacant": df["statut"].eq("vacant").astype(bool), "street_number": df["numero"], "street": df["voie"],
        "iris_code": df["code_iris"], "longitude": pd.to_numeric(df["longitude"]),
        "latitude": pd.to_numeric(df["latitude"]), "category": df["activite"],
        "independent": df["type_exploitation"].map({"indépendant": True, "enseigne": False}).astype("boolean"),
        "name": df["nom_commerce"], "naf_code": df["code_naf"], "siret": df["siret"],
    }, index=df.index)[INVENTORY_COLUMNS]


def inventory_problems(source: Source) -> list[Problem]:
    """What the schema cannot check across rows: a period ending before it starts, periods of one
    unit that overlap, an occupied period without its activity or its kind of business."""
    inv = read_inventory(source)
    problems = []
    for line in inv.index[inv["end_date"] < inv["start_date"]]:
        problems.append(Problem(int(line), "date_fin", inv.at[line, "end_date"].date().isoformat(),
                                "La date de fin précède la date de début.", "The end date is before the start date."))
    ordered = inv.sort_values(["unit_id", "start_date"], kind="stable")
    previous_end = ordered.groupby("unit_id")["end_date"].shift()
    previous_line = pd.Series(ordered.index, index=ordered.index).groupby(ordered["unit_id"]).shift()
    same_unit = ordered["unit_id"].eq(ordered["unit_id"].shift())
    overlap = same_unit & (previous_end.isna() | (previous_end > ordered["start_date"]))
    for line in ordered.index[overlap]:
        before = int(previous_line[line])
        problems.append(Problem(
            int(line), "date_debut", ordered.at[line, "start_date"].date().isoformat(),
            f"Cette période commence avant la fin de la période précédente de la cellule « {ordered.at[line, 'unit_id']} » "
            f"(ligne {before}) : les périodes d'une cellule ne doivent pas se chevaucher.",
            f"This period starts before the end of the unit's previous one (line {before}): periods must not overlap."))
    occupied = ~inv["vacant"]
    for column, name in (("category", "activite"), ("independent", "type_exploitation")):
        for line in inv.index[occupied & inv[column].isna()]:
            problems.append(Problem(int(line), name, "", f"Une période « occupé » doit avoir une valeur dans « {name} ».",
                                    f"An occupied period needs a value in “{name}”."))
    return sorted(problems, key=lambda p: (p.line or 0, p.column))


def vacancy_by_year(inventory: pd.DataFrame, years: Iterable[int], hypercentre_codes: Collection[str]) -> pd.DataFrame:
    """Units, vacant units and vacancy rate at each year-end, openings and closures in each year,
    town-wide (`perimeter` "commune") and in the hypercentre's IRIS ("hypercentre").

    Columns: year (int), perimeter (str), units, vacant, openings, closures (int), vacancy_rate
    (float, a share between 0 and 1; NaN for a perimeter without units that year). The stock at the
    end of the year before the first survey is the survey's state, but that year's openings count
    only the businesses still open at the survey, and its closures none: read flows from the
    survey's year on.
    """
    years = np.array(sorted({int(y) for y in years}), dtype=int)
    in_hyper = inventory["iris_code"].isin(set(hypercentre_codes)).to_numpy(bool)
    stock, flows = _year_end_stock(inventory, years, in_hyper), _flows(inventory, in_hyper)
    out = []
    for perimeter, units, events in (("commune", stock, flows),
                                     ("hypercentre", stock[stock["hyper"]], flows[flows["hyper"]])):
        per_year = units.groupby("year").agg(units=("unit_id", "size"), occupied=("occupied", "sum"))
        counts = events.groupby(["year", "kind"]).size().unstack(fill_value=0)
        table = pd.DataFrame({"year": years, "perimeter": perimeter})
        table["units"] = per_year["units"].reindex(years, fill_value=0).to_numpy()
        table["vacant"] = table["units"] - per_year["occupied"].reindex(years, fill_value=0).to_numpy()
        for kind in ("openings", "closures"):
            table[kind] = counts[kind].reindex(years, fill_value=0).to_numpy() if kind in counts else 0
        out.append(table)
    result = pd.concat(out, ignore_index=True)
    result["vacancy_rate"] = (result["vacant"] / result["units"].where(result["units"] > 0)).astype(float)
    return result[VACANCY_COLUMNS].astype({c: "int64" for c in ("year", "units", "vacant", "openings", "closures")})


def _year_end_stock(inventory: pd.DataFrame, years: np.ndarray, in_hyper: np.ndarray) -> pd.DataFrame:
    """One row per unit in the stock at each year-end: year, unit_id, occupied, hyper."""
    year_ends = np.array([f"{y}-12-31" for y in years], dtype="datetime64[ns]")
    start = inventory["start_date"].to_numpy("datetime64[ns]")
    end = inventory["end_date"].to_numpy("datetime64[ns]")
    covers = (start[:, None] <= year_ends) & (np.isnat(end)[:, None] | (end[:, None] > year_ends))
    rows, cols = np.nonzero(covers)  # (period, year) pairs: the periods under way at each year-end
    state = pd.DataFrame({"year": years[cols], "unit_id": inventory["unit_id"].to_numpy()[rows],
                          "occupied": ~inventory["vacant"].to_numpy(bool)[rows], "hyper": in_hyper[rows]})
    return state.groupby(["year", "unit_id"], sort=False).agg(
        occupied=("occupied", "max"), hyper=("hyper", "first")).reset_index()


def _flows(inventory: pd.DataFrame, in_hyper: np.ndarray) -> pd.DataFrame:
    """One row per opening or closure (an occupied period's start or end): year, kind, hyper."""
    occupied = ~inventory["vacant"].to_numpy(bool)
    periods = inventory[occupied]
    return pd.concat([
        pd.DataFrame({"year": periods["start_date"].dt.year, "kind": "openings", "hyper": in_hyper[occupied]}),
        pd.DataFrame({"year": periods["end_date"].dt.year, "kind": "closures", "hyper": in_hyper[occupied]}),
    ]).dropna(subset=["year"]).astype({"year": int})


def survey_years(inventory: pd.DataFrame, today: date | None = None) -> list[int]:
    """The year-ends the inventory describes: from the year before its first survey to its last date.

    The file does not say when it was first surveyed; a period's end can only have been seen by a
    survey, so the earliest end dates it (before it the file knows only the businesses still open).
    The last year is the latest date in the file, never after the current year.
    """
    dates = pd.concat([inventory["start_date"], inventory["end_date"]]).dropna()
    if dates.empty:
        return []
    ends = inventory["end_date"].dropna()
    first = int(ends.min().year) - 1 if not ends.empty else int(dates.max().year)
    last = min(int(dates.max().year), (today or date.today()).year)
    return list(range(first, max(first, last) + 1))


def units_by_year(inventory: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Each unit's state at each year-end: one row per (year, unit) with the period under way
    (the occupied one when a mistake makes two cover the date), its address, IRIS and position."""
    years = np.array(sorted({int(y) for y in years}), dtype=int)
    year_ends = np.array([f"{y}-12-31" for y in years], dtype="datetime64[ns]")
    start = inventory["start_date"].to_numpy("datetime64[ns]")
    end = inventory["end_date"].to_numpy("datetime64[ns]")
    covers = (start[:, None] <= year_ends) & (np.isnat(end)[:, None] | (end[:, None] > year_ends))
    rows, cols = np.nonzero(covers)
    state = inventory.iloc[rows].assign(year=years[cols]).sort_values(["year", "unit_id", "vacant"], kind="stable")
    state = state.drop_duplicates(["year", "unit_id"])  # False (occupied) sorts first
    return state[["year", *INVENTORY_COLUMNS]].reset_index(drop=True)


def stock_by_iris(inventory: pd.DataFrame, units: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Per year and IRIS: units and vacant units at the year-end, openings and closures in the year.

    Any perimeter's figures are sums of its IRIS' rows, which is why the hypercentre is a setting,
    not part of the rollup: `vacancy_by_year` gives the same figures from the raw periods.
    """
    years = sorted({int(y) for y in years})
    stock = units.groupby(["year", "iris_code"]).agg(units=("unit_id", "size"), vacant=("vacant", "sum"))
    occupied = inventory[~inventory["vacant"]]
    events = pd.concat([
        pd.DataFrame({"year": occupied["start_date"].dt.year, "iris_code": occupied["iris_code"], "kind": "openings"}),
        pd.DataFrame({"year": occupied["end_date"].dt.year, "iris_code": occupied["iris_code"], "kind": "closures"}),
    ]).dropna(subset=["year"]).astype({"year": int})
    flows = events[events["year"].isin(years)].groupby(["year", "iris_code", "kind"]).size().unstack(fill_value=0)
    table = stock.join(flows, how="outer").reindex(columns=["units", "vacant", "openings", "closures"]).fillna(0)
    table = table.astype("int64").reset_index()
    return table[table["year"].isin(years)].reset_index(drop=True)


def mix_by_iris(units: pd.DataFrame) -> pd.DataFrame:
    """Per year, IRIS and activity: the businesses open at the year-end and how many are independent."""
    open_ = units[~units["vacant"]]
    return (open_.assign(independent=open_["independent"].fillna(False).astype(bool))
            .groupby(["year", "iris_code", "category"])
            .agg(businesses=("unit_id", "size"), independents=("independent", "sum"))
            .astype("int64").reset_index())


def units_near_points(units: pd.DataFrame, points: pd.DataFrame, metres: float = NEAR_POINT_METRES) -> pd.DataFrame:
    """Per counting point and year: the units within `metres` of it and the vacant ones among them.

    Distances on the local plane (equirectangular): at a town's scale the error is a few centimetres.
    """
    if points.empty or units.empty:
        return pd.DataFrame({"site_id": [], "year": [], "units": [], "vacant": []})
    lat0 = np.radians(float(points["latitude"].mean()))
    east = np.radians(units["longitude"].to_numpy(float)[:, None] - points["longitude"].to_numpy(float)) * np.cos(lat0)
    north = np.radians(units["latitude"].to_numpy(float)[:, None] - points["latitude"].to_numpy(float))
    near = np.hypot(east, north) * 6_371_000 <= metres
    rows, cols = np.nonzero(near)
    pairs = pd.DataFrame({"site_id": points["site_id"].to_numpy()[cols], "year": units["year"].to_numpy()[rows],
                          "vacant": units["vacant"].to_numpy(bool)[rows]})
    counted = pairs.groupby(["site_id", "year"]).agg(units=("vacant", "size"), vacant=("vacant", "sum")).reset_index()
    # A point with no unit around it still has its row: 0 units, not a missing point.
    every = pd.MultiIndex.from_product([points["site_id"].unique(), sorted(units["year"].unique())],
                                       names=["site_id", "year"]).to_frame(index=False)
    return every.merge(counted, how="left").fillna({"units": 0, "vacant": 0}).astype({"units": "int64", "vacant": "int64"})


def sirene_by_year(sirene: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Per year and category: establishments created and closed in Sirene, and open at the year-end."""
    years = sorted({int(y) for y in years})
    out = []
    for year in years:
        end = pd.Timestamp(f"{year}-12-31")
        alive = (sirene["created"] <= end) & (sirene["closed"].isna() | (sirene["closed"] > end))
        frame = pd.DataFrame({"category": sirene["category"], "created": sirene["created"].dt.year.eq(year),
                              "closed": sirene["closed"].dt.year.eq(year), "active": alive})
        counts = frame.groupby("category")[["created", "closed", "active"]].sum().reset_index()
        out.append(counts.assign(year=year))
    if not out:
        return pd.DataFrame(columns=["year", "category", "created", "closed", "active"])
    table = pd.concat(out, ignore_index=True)
    return table[["year", "category", "created", "closed", "active"]].astype(
        {"year": "int64", "created": "int64", "closed": "int64", "active": "int64"})


def build_tables(sources: Mapping[str, Source], today: date | None = None) -> dict[str, pd.DataFrame]:
    """The commerce observatory's rollups from its datasets' files (keyed by dataset slug)."""
    from webapp.data.importers.footfall import read_counter_sites

    inventory = read_inventory(sources["commerces"])
    years = survey_years(inventory, today)
    units = units_by_year(inventory, years)
    points = read_counter_sites(sources["comptage-sites"]).dropna(subset=["longitude", "latitude"])
    return {
        "commerce_unit": units.drop(columns=["start_date", "end_date", "naf_code", "siret"]),
        "commerce_stock": stock_by_iris(inventory, units, years),
        "commerce_mix": mix_by_iris(units),
        "commerce_point": units_near_points(units, points),
        "commerce_sirene": sirene_by_year(read_sirene(sources["sirene-etablissements"]), years),
    }


# --- Sirene ------------------------------------------------------------------------------------

def category_of(code: str | None) -> str | None:
    """The observatory's category of a NAF rév. 2 code, None outside the commerce scope."""
    if not isinstance(code, str):
        return None
    # The longest prefix wins: subclass 47.78A before class 47.78, class 47.26 before group 47.2.
    return next((NAF_CATEGORIES[code[:n]] for n in (6, 5, 4) if code[:n] in NAF_CATEGORIES), None)


def naf_category(codes: pd.Series) -> pd.Series:
    """`category_of` each code (a file repeats a few hundred codes: each is looked up once)."""
    lookup = {code: category_of(code) for code in codes.dropna().unique()}
    return codes.map(lookup).astype(object).where(codes.notna(), None)


def read_sirene(source: Source) -> pd.DataFrame:
    """The shops, restaurants and personal services among Sirene's establishments (rules in the
    module's docstring): one row each, open or closed, with its category, dates and coordinates."""
    df = _schema_frame(source, "sirene-etablissements")
    naf = df["activitePrincipaleEtablissement"].where(df["nomenclatureActivitePrincipaleEtablissement"] == "NAFRev2")
    category = naf_category(naf)
    df, category = df[category.notna()], category[category.notna()]
    closed = df["etatAdministratifEtablissement"] == "F"
    repetition = df["indiceRepetitionEtablissement"]
    number = df["numeroVoieEtablissement"].fillna("") + (" " + repetition.map(REPETITION).fillna(repetition)).fillna("")
    street = (df["typeVoieEtablissement"].fillna("") + " " + df["libelleVoieEtablissement"].fillna("")).str.strip()
    longitude, latitude = _coordinates(df)
    out = pd.DataFrame({
        "siret": df["siret"], "siren": df["siren"],
        "name": _text(df["enseigne1Etablissement"].fillna(df["denominationUsuelleEtablissement"])),
        "naf_code": df["activitePrincipaleEtablissement"], "category": category, "open": ~closed,
        "created": _dates(df["dateCreationEtablissement"]),
        "closed": _dates(df["dateDebut"]).where(closed),
        "street_number": _text(number.str.strip()), "street": _text(street),
        "postal_code": df["codePostalEtablissement"], "commune_code": df["codeCommuneEtablissement"],
        "head_office": df["etablissementSiege"] == "true",
        "employer": df["caractereEmployeurEtablissement"].map({"O": True, "N": False}).astype("boolean"),
        "partial_diffusion": df["statutDiffusionEtablissement"] == "P",
        "longitude": longitude, "latitude": latitude,
    }, index=df.index)
    return out[SIRENE_COLUMNS].reset_index(drop=True)


def _text(column: pd.Series) -> pd.Series:
    """Python strings, None where empty (as the other text columns)."""
    return column.astype(object).where(column.notna() & column.ne(""), None)


def _coordinates(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 coordinates: Etalab's longitude/latitude, else INSEE's Lambert 93 (metropolitan communes)."""
    def number(name: str) -> np.ndarray:
        if name not in df.columns:
            return np.full(len(df), np.nan)
        return pd.to_numeric(df[name], errors="coerce").to_numpy(float)  # "[ND]": not published

    lon, lat = number("longitude"), number("latitude")
    x, y = number("coordonneeLambertAbscisseEtablissement"), number("coordonneeLambertOrdonneeEtablissement")
    metropolitan = ~df["codeCommuneEtablissement"].fillna("97").str.startswith(("97", "98")).to_numpy()
    x, y = np.where(metropolitan, x, np.nan), np.where(metropolitan, y, np.nan)
    projected_lon, projected_lat = lambert93_to_wgs84(x, y)
    missing = np.isnan(lon) | np.isnan(lat)
    return np.where(missing, projected_lon, lon), np.where(missing, projected_lat, lat)


# Lambert 93 (EPSG:2154): conformal conic on GRS80, standard parallels 44° and 49° N, origin 3° E
# 46.5° N at (700 000, 6 600 000) m. Formulas: IGN, "Projection cartographique conique conforme de
# Lambert" (notes ALG0002, ALG0004, ALG0019).
_A, _F = 6_378_137.0, 1 / 298.257222101
_E = np.sqrt(2 * _F - _F * _F)
_LON0, _LAT0, _LAT1, _LAT2, _X0, _Y0 = np.radians(3.0), np.radians(46.5), np.radians(44.0), np.radians(49.0), 700_000.0, 6_600_000.0


def _m(lat):
    return np.cos(lat) / np.sqrt(1 - (_E * np.sin(lat)) ** 2)


def _t(lat):
    return np.tan(np.pi / 4 - lat / 2) / ((1 - _E * np.sin(lat)) / (1 + _E * np.sin(lat))) ** (_E / 2)


_N = (np.log(_m(_LAT1)) - np.log(_m(_LAT2))) / (np.log(_t(_LAT1)) - np.log(_t(_LAT2)))
_AF = _A * _m(_LAT1) / (_N * _t(_LAT1) ** _N)
_RHO0 = _AF * _t(_LAT0) ** _N


def wgs84_to_lambert93(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (degrees, GRS80/WGS84) to Lambert 93 metres."""
    lon, lat = np.radians(np.asarray(lon, float)), np.radians(np.asarray(lat, float))
    rho, theta = _AF * _t(lat) ** _N, _N * (lon - _LON0)
    return _X0 + rho * np.sin(theta), _Y0 + _RHO0 - rho * np.cos(theta)


def lambert93_to_wgs84(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Lambert 93 metres to longitude and latitude in degrees (NaN stays NaN)."""
    dx, dy = np.asarray(x, float) - _X0, _RHO0 - (np.asarray(y, float) - _Y0)
    rho, theta = np.hypot(dx, dy), np.arctan2(dx, dy)
    t = (rho / _AF) ** (1 / _N)
    lat = np.pi / 2 - 2 * np.arctan(t)
    for _ in range(8):  # the fixed point converges to below a millimetre in four or five steps
        lat = np.pi / 2 - 2 * np.arctan(t * ((1 - _E * np.sin(lat)) / (1 + _E * np.sin(lat))) ** (_E / 2))
    return np.degrees(theta / _N + _LON0), np.degrees(lat)
