"""Deterministic demo files for the commerce observatory, until the city's own files are imported.

`shop_inventory`: the city's shop inventory in our `commerces` format, as a spreadsheet saves it
(`;`, UTF-8 with BOM, dates JJ/MM/AAAA, decimal commas), one row per period of a unit from the
first survey (1 January 2016) to the end of 2025. Calibrated on the figures published for Arras
(`arras-commerce-chiffres-publies-presse.csv` in the project's shared real data):

- 1,147 units at the survey (the Bérénice study's 1,147 shops, read as units, vacant ones included,
  as its 479 hypercentre units are), 479 of them in the "Hyper Centre" IRIS with 95 vacant, and 157
  of the 668 others: 19.8 % in the hypercentre ("close to 20 %") and 22 % town-wide, as published;
- 287 openings and 130 closures town-wide over 2016-2020 (50 and 15 in 2016), a quarter of the
  closures being takeovers (a new business opens the same day), 42 % of the openings and half of
  the closures in the hypercentre: its vacancy falls to about 8 % at the end of 2020 and stays near
  it after, when openings and closures balance (the demo's assumption for 2021-2025);
- 62 % independent businesses at the survey; in the hypercentre, 27 % ready-to-wear (NAF 47.71Z,
  "more than 26 %") and 22 % restaurants (56.10); the other activities' weights are assumptions,
  and most bakeries carry the craft code 10.71C, as in France; every business has its NAF code,
  nine in ten their SIRET (the city does not find every one);
- a few vacant units outside the hypercentre leave the stock (turned into housing), one a year.
Units are drawn inside their IRIS (hypercentre units inside "Hyper Centre"); streets are real
streets of Arras, but a unit's point is not on its street. Demo SIRENs fail the Luhn check that
every real SIREN passes: no demo business can carry a real company's number.

`sirene_extract`: the same businesses as INSEE's StockEtablissement (format 3.11: `,`, UTF-8, Lambert
93 coordinates), with what makes Sirene differ from an inventory: a tenth of the independents
registered at their owner's home, closures declared late or never (15 %), some activities declared under another
code (a coarser class, or a craftsman's manufacturing code that the importer leaves out),
partial diffusion ("[ND]"), and establishments without a shop (market traders, online shops, food
trucks, offices) that the importer must set aside.

This module keeps the entry points (`shop_inventory`, `sirene_extract`, `write_files`) and the names
read from it; the rest is split by subject: `commerce_units` (the calibration figures, activities,
streets and the units' dataclasses), `commerce_simulation` (the stock from the survey to 2025, the demo
SIRENs), `commerce_sirene` (the Sirene format and how its establishments differ from the inventory).
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from pathlib import Path

from webapp.data.importers.commerce import category_of
from webapp.demo.commerce_simulation import _Registry, _simulate
from webapp.demo.commerce_sirene import (
    AT_HOME,
    OTHER_CODE,
    OTHER_CODES,
    PARTIAL,
    SIRENE_COLUMNS,
    UNDECLARED,
    WITHOUT_SHOP,
    _establishment,
    _home,
    _without_shop,
)
from webapp.demo.commerce_units import (
    ACTIVITIES,
    COMMUNE,
    COMMUNE_NAME,
    CONVERSION_YEARS,
    CRAFT_BAKERY,
    FLOWS,
    HYPERCENTRE_IRIS,
    HYPERCENTRE_SHARE,
    HYPERCENTRE_STREETS,
    INDEPENDENT,
    LAST_DAY,
    LISTED_SIRET,
    NAMES,
    OTHER_STREETS,
    POSTCODE,
    STREET_TYPES,
    SURVEY,
    TAKEOVER,
    UNITS,
    VACANT_AT_SURVEY,
    Business,
    Period,
    Unit,
)

__all__ = [  # the entry points, and the names read from this module before it was split
    "shop_inventory", "sirene_extract", "write_files", "DEMO_INVENTORY", "DEMO_SIRENE", "INVENTORY_COLUMNS",
    "AT_HOME", "OTHER_CODE", "OTHER_CODES", "PARTIAL", "SIRENE_COLUMNS", "UNDECLARED", "WITHOUT_SHOP",
    "ACTIVITIES", "COMMUNE", "COMMUNE_NAME", "CONVERSION_YEARS", "CRAFT_BAKERY", "FLOWS", "HYPERCENTRE_IRIS",
    "HYPERCENTRE_SHARE", "HYPERCENTRE_STREETS", "INDEPENDENT", "LAST_DAY", "LISTED_SIRET", "NAMES", "OTHER_STREETS",
    "POSTCODE", "STREET_TYPES", "SURVEY", "TAKEOVER", "UNITS", "VACANT_AT_SURVEY", "Business", "Period", "Unit",
]

INVENTORY_COLUMNS = ["id_cellule", "date_debut", "date_fin", "statut", "numero", "voie", "code_iris", "longitude",
                     "latitude", "activite", "type_exploitation", "nom_commerce", "code_naf", "siret"]


def shop_inventory(iris_geojson: Path, seed: int = 62041) -> bytes:
    """The demo inventory (`;`, UTF-8 with BOM, JJ/MM/AAAA, decimal commas), the same bytes for the same arguments."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(INVENTORY_COLUMNS)
    for unit in _simulate(iris_geojson, seed):
        kind, name = unit.street
        for period in unit.periods:
            b = period.business
            writer.writerow([
                unit.uid, _french(period.start), _french(period.end) if period.end else "",
                "vacant" if b is None else "occupé", str(unit.number), f"{STREET_TYPES[kind]} {name}", unit.iris,
                f"{unit.lon:.6f}".replace(".", ","), f"{unit.lat:.6f}".replace(".", ","),
                "" if b is None else category_of(b.naf), "" if b is None else ("indépendant" if b.independent else "enseigne"),
                "" if b is None else b.name, "" if b is None else b.naf, b.siret if b and b.listed else "",
            ])
    return out.getvalue().encode("utf-8-sig")


def _french(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- Sirene --------------------------------------------------------------------------------------

def sirene_extract(iris_geojson: Path, seed: int = 62041) -> bytes:
    """The inventory's businesses as Sirene establishments, and establishments without a shop
    (`,`, UTF-8, Sirene 3.11 columns), the same bytes for the same arguments."""
    units = _simulate(iris_geojson, seed)
    rng = random.Random(f"sirene-{seed}")
    homes = [u for u in units if u.area == "rest"]
    rows = []
    for unit in units:
        for period in unit.periods:
            if period.business is not None:
                rows.append(_establishment(rng, unit, period, homes))
    registry = _Registry(rng)
    registry.used |= {row["siren"] for row in rows}
    for naf, nomenclature, count in WITHOUT_SHOP:
        for _ in range(count):
            rows.append(_without_shop(rng, registry, naf, nomenclature, _home(rng, homes)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SIRENE_COLUMNS)
    writer.writerows([row.get(c, "") for c in SIRENE_COLUMNS] for row in sorted(rows, key=lambda r: r["siret"]))
    return out.getvalue().encode("utf-8")


DEMO_INVENTORY = "demo-commerces-arras-2016-2025.csv"
DEMO_SIRENE = "demo-sirene-etablissements-arras.csv"


def write_files(sources: Path) -> list[Path]:
    """(Re)write the commerce demo files under `sources/commerce/`; returns their paths."""
    iris = sources / "geo" / "iris-2020-arras-62041.geojson"
    files = {sources / "commerce" / DEMO_INVENTORY: shop_inventory(iris),
             sources / "commerce" / DEMO_SIRENE: sirene_extract(iris)}
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return list(files)
