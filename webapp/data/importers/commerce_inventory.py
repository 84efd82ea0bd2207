"""The city's shop inventory (`commerces`): its periods of units read and checked across rows, the
stock at each year-end and the openings and closures of each year. The rules are in
`webapp.data.importers.commerce`'s docstring.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from webapp.data.schema import Problem, load_schema, normalise
from webapp.data.tabular import read_source
from webapp.i18n import _l

Source = Path | pd.DataFrame
INVENTORY_COLUMNS = ["unit_id", "start_date", "end_date", "vacant", "street_number", "street", "iris_code",
                     "longitude", "latitude", "category", "independent", "name", "naf_code", "siret"]
VACANCY_COLUMNS = ["year", "perimeter", "units", "vacant", "vacancy_rate", "openings", "closures"]


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
        problems.append(Problem.of(int(line), "date_fin", inv.at[line, "end_date"].date().isoformat(),
                                   _l("La date de fin précède la date de début.")))
    ordered = inv.sort_values(["unit_id", "start_date"], kind="stable")
    previous_end = ordered.groupby("unit_id")["end_date"].shift()
    previous_line = pd.Series(ordered.index, index=ordered.index).groupby(ordered["unit_id"]).shift()
    same_unit = ordered["unit_id"].eq(ordered["unit_id"].shift())
    overlap = same_unit & (previous_end.isna() | (previous_end > ordered["start_date"]))
    for line in ordered.index[overlap]:
        before = int(previous_line[line])
        problems.append(Problem.of(
            int(line), "date_debut", ordered.at[line, "start_date"].date().isoformat(),
            _l("Cette période commence avant la fin de la période précédente de la cellule « {unit} » (ligne "
               "{before}) : les périodes d'une cellule ne doivent pas se chevaucher.",
               unit=ordered.at[line, "unit_id"], before=before)))
    occupied = ~inv["vacant"]
    for column, name in (("category", "activite"), ("independent", "type_exploitation")):
        for line in inv.index[occupied & inv[column].isna()]:
            problems.append(Problem.of(int(line), name, "", _l("Une période « occupé » doit avoir une valeur dans "
                                                               "« {name} ».", name=name)))
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
