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

from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd

from webapp.data.importers.commerce_inventory import (
    INVENTORY_COLUMNS,
    VACANCY_COLUMNS,
    Source,
    inventory_problems,
    read_inventory,
    survey_years,
    units_by_year,
    vacancy_by_year,
)
from webapp.data.importers.commerce_sirene import (
    NAF_CATEGORIES,
    REPETITION,
    SIRENE_COLUMNS,
    category_of,
    lambert93_to_wgs84,
    naf_category,
    read_sirene,
    wgs84_to_lambert93,
)

__all__ = [  # the readers live in commerce_inventory and commerce_sirene
    "CATEGORIES", "INVENTORY_COLUMNS", "NAF_CATEGORIES", "NEAR_POINT_METRES", "REPETITION", "SIRENE_COLUMNS",
    "Source", "VACANCY_COLUMNS", "build_tables", "category_of", "inventory_problems", "lambert93_to_wgs84",
    "mix_by_iris", "naf_category", "read_inventory", "read_sirene", "sirene_by_year", "stock_by_iris",
    "survey_years", "units_by_year", "units_near_points", "vacancy_by_year", "wgs84_to_lambert93",
]

CATEGORIES = ["alimentaire", "equipement-personne", "equipement-maison", "culture-loisirs", "hygiene-sante-beaute",
              "cafe-hotel-restaurant", "services", "autre"]
NEAR_POINT_METRES = 150  # the units around a counting point: the shop fronts its passers-by walk along


# --- the curated tables ------------------------------------------------------------------------

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
