"""Orange Business's Flux Vision presence exports (descriptor `flux-vision`): read and checked.
Orange does not publish the export's format: what is assumed, and why, is in
`webapp.data.importers.footfall`'s docstring.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from webapp.data.importers.footfall_counters import Source, _problems, _schema_frame
from webapp.data.schema import Problem
from webapp.i18n import _l

FLUX_VISION_COLUMNS = ["date", "zone", "provenance", "category", "origin_level", "origin_code",
                       "origin_name", "slot", "volume", "holidays_a", "holidays_b", "holidays_c",
                       "public_holiday"]

CATEGORIES = {"resident": "resident", "excursionniste": "excursionist", "touriste": "tourist"}
PROVENANCES = {"local": "local", "nonlocal": "non_local", "etranger": "foreign"}
FLAGS = {"1": True, "oui": True, "0": False, "non": False}
SLOT_COLUMNS = ("TrancheHoraire", "Creneau", "CreneauHoraire", "PlageHoraire", "Heure")
# Origin levels, finest first: (level, code columns, name columns).
ORIGINS = (
    ("department", ("CodeDepartement",), ("NomDepartement", "Departement")),
    ("region", ("CodeRegion",), ("NomNouvelleRegion", "NomRegion", "Region")),
    ("country", ("CodePays",), ("Pays", "NomPays")),
)
SLOT = re.compile(r"^\D*?(\d{1,2})(?:\s*[h:]\s*(\d{2})?)?(?!\d)")


def read_flux_vision(source: Source) -> pd.DataFrame:
    """One row per day (or 2-hour slot), zone, provenance, visitor category and origin.

    Columns: date (datetime64, the day), zone (str), provenance (local | non_local | foreign),
    category (resident | excursionist | tourist), origin_level (department | region | country, or
    None for rows without origin), origin_code and origin_name (str or None), slot (Int64: the slot's
    start hour, <NA> in daily files), volume (Int64, <NA> where Orange hid the count), holidays_a,
    holidays_b, holidays_c, public_holiday (boolean, <NA> when empty).
    """
    df = _schema_frame(source, "flux-vision")
    level, code, name = _origins(df)
    return pd.DataFrame({
        "date": pd.to_datetime(df["Date"], format="%Y-%m-%d"),
        "zone": df["ZoneObservation"],
        "provenance": _folded(df["Provenance"]).str.replace(" ", "").map(PROVENANCES),
        "category": _folded(df["CategorieVisiteur"]).map(CATEGORIES),
        "origin_level": level, "origin_code": code, "origin_name": name,
        "slot": _slots(df)[0],
        "volume": pd.to_numeric(df["Volume"]).astype("Int64"),
        "holidays_a": _flags(df["VacancesA"]), "holidays_b": _flags(df["VacancesB"]),
        "holidays_c": _flags(df["VacancesC"]), "public_holiday": _flags(df["Ferie"]),
    })[FLUX_VISION_COLUMNS].reset_index(drop=True)


def flux_vision_problems(table: pd.DataFrame) -> list[Problem]:
    """What the Flux Vision descriptor cannot check: time slots, and rows repeated (rules in
    `webapp.data.importers.footfall`'s docstring)."""
    slots, column = _slots(table)
    problems = []
    if column:
        text = table[column]
        problems += _problems(text, slots.isna() & text.notna(), _l(
            "Tranche horaire non reconnue : écrivez l'heure de début, par exemple 08h-10h ou 08:00."))
        problems += _problems(text, text.isna(), _l("Tranche horaire manquante."), keep_empty=True)
    level, code, name = _origins(table)
    keys = pd.DataFrame({"date": table["Date"], "zone": table["ZoneObservation"],
                         "provenance": _folded(table["Provenance"]).str.replace(" ", ""),
                         "category": _folded(table["CategorieVisiteur"]), "slot": slots, "level": level,
                         "code": code, "name": name}, index=table.index)
    repeated = keys.duplicated(keep="first")
    rule = _l("Ligne en double : une ligne précédente porte sur le même jour, la même zone, provenance, catégorie, "
              "tranche horaire et origine (elle serait comptée deux fois).")
    problems += [Problem.of(int(line), "", "", rule) for line in keys.index[repeated]]
    return problems


def _folded(column: pd.Series) -> pd.Series:
    """Lower case without accents ("Résident" -> "resident"), each distinct value worked out once."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    folded = np.array(["".join(c for c in unicodedata.normalize("NFKD", str(u)) if not unicodedata.combining(c))
                       .strip().lower() for u in uniques] + [None], dtype=object)
    return pd.Series(folded[codes], index=column.index, name=column.name)


def _flags(column: pd.Series) -> pd.Series:
    return _folded(column).map(FLAGS).astype("boolean")


def _slots(table: pd.DataFrame) -> tuple[pd.Series, str | None]:
    """The start hour of each row's slot (Int64, <NA> in a daily file or when unreadable), and the
    slot column's name (None: a daily file)."""
    column = next((c for c in SLOT_COLUMNS if c in table.columns), None)
    if column is None:
        return pd.Series(pd.NA, index=table.index, dtype="Int64"), None
    codes, uniques = pd.factorize(table[column], use_na_sentinel=True)
    hours = pd.array([_slot_hour(str(u)) for u in uniques], dtype="Int64").take(codes, allow_fill=True)
    return pd.Series(hours, index=table.index), column


def _slot_hour(text: str) -> int | None:
    found = SLOT.match(text.strip())
    if not found or (found.group(2) not in (None, "00")) or int(found.group(1)) > 23:
        return None
    return int(found.group(1))


def _origins(table: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each row's origin: (level, code, name), from the finest level filled in the row."""
    level = pd.Series(None, index=table.index, dtype=object)
    code = pd.Series(None, index=table.index, dtype=object)
    name = pd.Series(None, index=table.index, dtype=object)
    for kind, code_columns, name_columns in ORIGINS:
        codes = _first_filled(table, code_columns)
        names = _first_filled(table, name_columns)
        here = level.isna() & (codes.notna() | names.notna())
        level[here], code[here], name[here] = kind, codes[here], names[here]
    return level, code, name


def _first_filled(table: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    out = pd.Series(None, index=table.index, dtype=object)
    for column in columns:
        if column in table.columns:
            out = out.where(out.notna(), table[column])
    return out
