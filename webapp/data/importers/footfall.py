"""Readers for footfall files, as published: pedestrian counters in the national "comptage des
mobilités" format, and Orange Business's Flux Vision presence exports.

**Counters** (schema.data.gouv.fr, etalab/schema-comptage-mobilites-site, -channel and -measure,
version 0.2.5; descriptors `comptage-sites`, `comptage-canaux`, `comptage-mesures`). Three files
linked by identifiers: a *site* is where counters stand; a *channel* counts one mode in one
direction at a site (`mobility_type` PEDESTRIAN, BIKE…; several modes in one cell mean their total);
a *measure* is the count of a channel from `start_datetime` (included) to `end_datetime` (excluded).

- Dates and times are ISO 8601 with an offset (`2021-09-15T00:00:00+02`, `+0200`, `+02:00`, `Z`).
  `webapp.data.schema` has no datetime type, so the descriptors check the shape with a pattern and
  the readers parse here; times are returned tz-aware in Europe/Paris. A time without offset is
  refused: the night clocks go back has two 02:00 hours.
- An empty `count` means the counter measured nothing (failure); it stays missing, never 0.
- An empty `end_datetime` ends after the channel's `time_step` (seconds).
- What a Table Schema cannot say is checked by `channel_problems` (a channel's site must be in the
  sites file) and `measure_problems` (a measure's channel must be in the channels file, dates must
  exist in the calendar, a measure must end after it starts, and a pedestrian measure must fit in
  one hour, below). Each returns problems in the shape of `webapp.data.schema.validate`'s report,
  with the file's line and column; `with_problems` adds them to that report.
- `ended_at` of a channel is kept but not used to drop measures: the official Eco-Compteur example
  declares a channel ended in 2010 that still has measures in 2021.

`pedestrian_hourly` gives the footfall of each site per local hour, rules:

1. only channels whose `mobility_type` is exactly PEDESTRIAN (a multi-mode channel's count mixes
   pedestrians with other modes and cannot be split);
2. the channels of a site (its directions) are summed per hour; hours are cut in UTC and shown in
   Europe/Paris (Paris's offsets are whole hours, so the cut is the same), which keeps the two
   02:00 hours of the last Sunday of October apart;
3. a measure shorter than an hour (5, 10, 15, 30 min…) is added to the hour it falls in, and must
   not straddle two hours (10:15-10:30 is fine, 10:50-11:05 is refused); an hourly measure must
   start on the hour;
4. a measure longer than an hour (a daily total) is **refused**, not spread: dividing a day's
   count over 24 hours would invent the profile of the day the story is about. Such measures raise
   `UnusableMeasures` (and are reported by `measure_problems` at upload);
5. an hour's count is missing when one of its measures has no count or when its measures do not
   cover the hour exactly for each channel seen that hour (a missing quarter of an hour, or
   overlapping measures): a partial sum would read as a drop in footfall. `channels` tells how many
   channels were measured that hour: an hour where a whole direction sent nothing has fewer.

**Flux Vision** (descriptor `flux-vision`). Orange does not publish the export's format; what is
assumed, and why:

- columns `Date, ZoneObservation, Provenance, CategorieVisiteur, Volume, JourDeLaSemaine,
  VacancesA, VacancesB, VacancesC, Ferie` in every file (the list given by the city's Flux Vision
  contract, the same names read by public code of tourism observatories processing these exports);
  `;`-separated in practice, any dialect `webapp.data.tabular` reads is accepted;
- `Date` as dd/mm/yyyy or yyyy-mm-dd; `VacancesA/B/C`, `Ferie` as 0/1 or Oui/Non;
- `CategorieVisiteur` is Résident, Excursionniste or Touriste, with or without accent and capital
  (Orange writes "Resident"); normalised to resident / excursionist / tourist. Orange also sells
  categories such as "Excursionniste recurrent" or "Habituellement present": they are refused
  until the site knows what to show for them;
- `Provenance` is Local (the zone's département), NonLocal (elsewhere in France) or Etranger
  (foreign SIM cards), normalised to local / non_local / foreign;
- `Volume` is a whole number of people, extrapolated by Orange; Orange hides small counts, which
  come as empty cells and stay missing, never 0;
- optional columns, which a Table Schema cannot declare (every field must be in the header), are
  read when present: the time slot of the files by 2-hour slots (`TrancheHoraire`, or `Creneau`,
  `CreneauHoraire`, `PlageHoraire`, `Heure`; "08h-10h", "08:00-10:00", "8", "[08h-10h[": the start
  hour is kept) and the origin of the files broken down by origin (`CodeDepartement` /
  `NomDepartement`, `CodeRegion` / `NomNouvelleRegion` / `NomRegion`, `CodePays` / `Pays`; the
  finest level present in a row is its origin). `flux_vision_problems` checks the slots and
  refuses two rows for the same day, zone, provenance, category, slot and origin (they would be
  counted twice).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from webapp.data.schema import MAX_REPORTED, Problem, Report, load_schema, normalise
from webapp.data.tabular import read_source

Source = Path | pd.DataFrame
PARIS = "Europe/Paris"
HOUR = 3600  # seconds
PEDESTRIAN = "PEDESTRIAN"

SITE_COLUMNS = ["site_id", "parent_site_id", "name", "commune_code", "longitude", "latitude",
                "external_ids", "infrastructure_type"]
CHANNEL_COLUMNS = ["channel_id", "site_id", "mobility_type", "direction", "direction_code",
                   "direction_name", "provider", "temporality", "started_at", "ended_at", "time_step"]
MEASURE_COLUMNS = ["channel_id", "counter_id", "start", "end", "count"]
HOURLY_COLUMNS = ["site_id", "site_name", "hour", "count", "channels"]
FLUX_VISION_COLUMNS = ["date", "zone", "provenance", "category", "origin_level", "origin_code",
                       "origin_name", "slot", "volume", "holidays_a", "holidays_b", "holidays_c",
                       "public_holiday"]


class UnusableMeasures(ValueError):
    """Pedestrian measures that cannot be put into hours: `fr` and `en` say which and why."""

    def __init__(self, fr: str, en: str) -> None:
        super().__init__(en)
        self.fr, self.en = fr, en


# --- counters: reading -------------------------------------------------------------------------

def read_counter_sites(source: Source) -> pd.DataFrame:
    """One row per counting site: ids and name (str), commune code (str or None), WGS84 position."""
    df = _schema_frame(source, "comptage-sites")
    return pd.DataFrame({
        "site_id": df["site_id"], "parent_site_id": df["parent_site_id"], "name": df["site_name"],
        "commune_code": df["fr_insee_code"],
        "longitude": pd.to_numeric(df["xlong"]).astype(float), "latitude": pd.to_numeric(df["ylat"]).astype(float),
        "external_ids": df["external_ids"], "infrastructure_type": df["infrastructure_type"],
    })[SITE_COLUMNS].reset_index(drop=True)


def read_counter_channels(source: Source) -> pd.DataFrame:
    """One row per channel: its site, mode(s) as published, direction, start and end (Europe/Paris)
    and time step in seconds (float, NaN when not given)."""
    df = _schema_frame(source, "comptage-canaux")
    return pd.DataFrame({
        "channel_id": df["channel_id"], "site_id": df["site_id"], "mobility_type": df["mobility_type"],
        "direction": df["direction"], "direction_code": df["provider_direction_code"],
        "direction_name": df["provider_direction_name"], "provider": df["data_provider_name"],
        "temporality": df["temporality"],
        "started_at": local_times(df["started_at"]), "ended_at": local_times(df["ended_at"]),
        "time_step": pd.to_numeric(df["time_step"]).astype(float),
    })[CHANNEL_COLUMNS].reset_index(drop=True)


def read_counter_measures(source: Source) -> pd.DataFrame:
    """One row per measure: channel, counter, start and end (tz-aware, Europe/Paris; end NaT when the
    file leaves it to the channel's time step) and count (float, NaN when nothing was measured)."""
    df = _schema_frame(source, "comptage-mesures")
    return pd.DataFrame({
        "channel_id": df["channel_id"], "counter_id": df["counter_id"],
        "start": local_times(df["start_datetime"]), "end": local_times(df["end_datetime"]),
        "count": pd.to_numeric(df["count"]).astype(float),
    })[MEASURE_COLUMNS].reset_index(drop=True)


def local_times(column: pd.Series) -> pd.Series:
    """ISO 8601 times with offsets as tz-aware Europe/Paris times (NaT: empty or not a real date).

    Each distinct text is parsed once: a measure file repeats every time once per channel.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    parsed = pd.to_datetime(pd.Series(np.asarray(uniques, dtype=object), dtype=object),
                            format="ISO8601", utc=True, errors="coerce").dt.as_unit("us")
    values = parsed.dt.tz_convert(PARIS).array.take(codes, allow_fill=True)
    return pd.Series(values, index=column.index, name=column.name)


def _schema_frame(source: Source, slug: str) -> pd.DataFrame:
    """The table with the schema's columns (an upload arrives validated; a path is read here)."""
    if isinstance(source, pd.DataFrame):
        return source
    schema = load_schema(slug)
    return normalise(schema, read_source(source, schema.names))


# --- counters: what the descriptors cannot check -----------------------------------------------

SPAN_RULES = {  # why a measure cannot be put in an hour: (French, English)
    "backwards": ("La fin de la mesure doit être postérieure à son début.",
                  "The measure must end after it starts."),
    "unknown": (("Fin de la mesure absente et pas de temps (time_step) du canal non renseigné : la durée "
                 "de la mesure est inconnue."),
                "No end for the measure and no time step for its channel: its duration is unknown."),
    "long": (("Mesure de plus d'une heure sur un canal piéton : le site compte les passages par heure et "
              "ne répartit pas un total sur plusieurs heures. Déposez des mesures horaires ou plus fines."),
             ("A pedestrian measure longer than one hour: counts are shown per hour and a total is not "
              "spread over hours. Upload hourly or finer measures.")),
    "straddles": (("Mesure à cheval sur deux heures : une mesure d'une heure doit commencer à l'heure pile, "
                   "et une mesure plus courte finir dans l'heure où elle commence (10:15-10:30, pas "
                   "10:50-11:05)."),
                  ("A measure across two hours: an hourly measure must start on the hour, a shorter one "
                   "end within the hour it starts in.")),
}


def channel_problems(table: pd.DataFrame, sites: pd.DataFrame) -> list[Problem]:
    """Channels of a site missing from the sites file (`sites`: `read_counter_sites`'s table)."""
    ids = table["site_id"]
    unknown = ids.notna() & ~ids.isin(set(sites["site_id"]))
    return [Problem(int(line), "site_id", str(value),
                    "Site inconnu : ce site_id n'est pas dans le fichier des sites de comptage.",
                    "Unknown site: this site_id is not in the counting sites file.")
            for line, value in ids[unknown].items()]


def measure_problems(table: pd.DataFrame, channels: pd.DataFrame) -> list[Problem]:
    """What the measures' descriptor cannot check (rules in the module's docstring).

    `table` is the measure file as validated (strings, indexed by line of the file); `channels` is
    `read_counter_channels`'s table. Cells the descriptor already refused are not reported again.
    """
    problems: list[Problem] = []
    ids = table["channel_id"]
    unknown = ids.notna() & ~ids.isin(set(channels["channel_id"]))
    problems += _problems(ids, unknown,
                          "Canal inconnu : ce channel_id n'est pas dans le fichier des canaux de comptage.",
                          "Unknown channel: this channel_id is not in the counting channels file.")
    times = {}
    for column in ("start_datetime", "end_datetime"):
        text, parsed = table[column], local_times(table[column])
        impossible = parsed.isna() & text.notna() & _matches(text, "comptage-mesures", column)
        problems += _problems(text, impossible, "Date ou heure qui n'existe pas dans le calendrier.",
                              "This date or time does not exist in the calendar.")
        times[column] = parsed
    start, end = times["start_datetime"], times["end_datetime"]
    backwards = end.notna() & start.notna() & (end <= start)
    problems += _problems(table["end_datetime"], backwards, *SPAN_RULES["backwards"])

    walking = set(channels.loc[channels["mobility_type"] == PEDESTRIAN, "channel_id"])
    steps = channels.drop_duplicates("channel_id").set_index("channel_id")["time_step"]
    unreadable_end = table["end_datetime"].notna() & end.isna()  # already reported
    kept = ids.isin(walking) & start.notna() & ~backwards & ~unreadable_end
    spans = _spans(start[kept], end[kept], ids[kept].map(steps))
    for kind, (fr, en) in SPAN_RULES.items():
        if kind != "backwards":
            problems += _problems(table.loc[kept, "end_datetime"], spans["kind"] == kind, fr, en,
                                  keep_empty=True)
    return problems


def with_problems(report: Report, problems: Sequence[Problem]) -> Report:
    """`report` (from `webapp.data.schema.validate`) with more problems of the same file."""
    everything = sorted([*report.problems, *problems], key=lambda p: (p.line or 0, p.column))
    return Report(everything[:MAX_REPORTED], report.total + len(problems), report.ignored_columns)


def _spans(start: pd.Series, end: pd.Series, step_seconds: pd.Series) -> pd.DataFrame:
    """Each measure's UTC hour, length in seconds and, when it cannot be put in one hour, why."""
    end = end.fillna(start + pd.to_timedelta(step_seconds, unit="s"))
    seconds = (end - start).dt.total_seconds()
    hour = start.dt.tz_convert("UTC").dt.floor("h")
    last = (end - pd.Timedelta(1, "us")).dt.tz_convert("UTC").dt.floor("h")
    kind = np.select([seconds.isna().to_numpy(), (seconds <= 0).to_numpy(), (seconds > HOUR).to_numpy(),
                      (hour != last).to_numpy()], ["unknown", "backwards", "long", "straddles"], default="")
    return pd.DataFrame({"hour": hour, "seconds": seconds, "kind": kind}, index=start.index)


def _matches(text: pd.Series, slug: str, column: str) -> pd.Series:
    """True where the cell has the shape the descriptor's pattern asks for (each distinct value once)."""
    pattern = re.compile(f"^(?:{load_schema(slug).field(column)['constraints']['pattern']})$")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    good = np.array([pattern.match(str(u)) is not None for u in uniques] + [False], dtype=bool)
    return pd.Series(good[codes], index=text.index)


def _problems(values: pd.Series, where: pd.Series, fr: str, en: str, keep_empty: bool = False) -> list[Problem]:
    picked = values[where.reindex(values.index, fill_value=False).to_numpy(bool)]
    return [Problem(int(line), str(values.name), "" if pd.isna(v) else str(v), fr, en)
            for line, v in picked.items() if keep_empty or not pd.isna(v)]


# --- counters: hourly pedestrian footfall ------------------------------------------------------

def pedestrian_hourly(sites: pd.DataFrame, channels: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Pedestrians per site and local hour (rules in the module's docstring), from the three readers'
    tables: site_id, site_name, hour (tz-aware Europe/Paris, start of the hour), count (float, NaN
    when the hour is incomplete) and channels (int, channels measured that hour)."""
    walking = channels[channels["mobility_type"] == PEDESTRIAN]
    walking = walking.drop_duplicates("channel_id").set_index("channel_id")
    kept = measures[measures["channel_id"].isin(walking.index)]
    if kept.empty:
        return pd.DataFrame({"site_id": pd.Series(dtype=object), "site_name": pd.Series(dtype=object),
                             "hour": pd.Series(dtype=f"datetime64[us, {PARIS}]"),
                             "count": pd.Series(dtype=float), "channels": pd.Series(dtype=int)})
    # Work on integer codes: a million measures, a few channels and sites.
    codes, channel_ids = pd.factorize(kept["channel_id"])
    site_codes, site_ids = pd.factorize(walking["site_id"].reindex(channel_ids))
    step_of = walking["time_step"].reindex(channel_ids).to_numpy(float)
    spans = _spans(kept["start"], kept["end"], pd.Series(step_of[codes], index=kept.index))
    refused = (spans["kind"] != "").to_numpy()
    if refused.any():
        raise _unusable(kept[refused], spans["kind"][refused])

    count = kept["count"].to_numpy(float)
    rows = pd.DataFrame({"site": site_codes[codes], "hour": spans["hour"].dt.tz_convert(None).to_numpy(),
                         "channel": codes, "count": count, "missing": np.isnan(count),
                         "seconds": spans["seconds"].to_numpy(float)})
    hours = rows.groupby(["site", "hour"], sort=True).agg(
        count=("count", "sum"), missing=("missing", "any"), seconds=("seconds", "sum"),
        channels=("channel", "nunique"),
    ).reset_index()
    complete = ~hours["missing"] & (hours["seconds"] == HOUR * hours["channels"])
    site_id = pd.Series(np.asarray(site_ids, dtype=object)[hours["site"].to_numpy()], dtype=object)
    names = sites.drop_duplicates("site_id").set_index("site_id")["name"].astype(object)
    site_name = site_id.map(names).astype(object)
    out = pd.DataFrame({
        "site_id": site_id, "site_name": site_name.where(site_name.notna(), None),
        "hour": hours["hour"].dt.tz_localize("UTC").dt.tz_convert(PARIS),
        "count": hours["count"].where(complete), "channels": hours["channels"].astype(int),
    })
    return out.sort_values(["site_id", "hour"], ignore_index=True)[HOURLY_COLUMNS]


def _unusable(measures: pd.DataFrame, kinds: pd.Series) -> UnusableMeasures:
    first = measures.iloc[0]
    kind = kinds.iloc[0]
    fr, en = SPAN_RULES[kind]
    when = first["start"].isoformat()
    return UnusableMeasures(
        f"{len(measures)} mesure(s) de canaux piétons ne peuvent pas être rangées par heure, par exemple celle "
        f"du canal « {first['channel_id']} » commençant le {when}. {fr}",
        f"{len(measures)} pedestrian measure(s) cannot be put into hours, e.g. channel {first['channel_id']} "
        f"from {when}. {en}",
    )


# --- Flux Vision -------------------------------------------------------------------------------

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
    """What the Flux Vision descriptor cannot check: time slots, and rows repeated (module docstring)."""
    slots, column = _slots(table)
    problems = []
    if column:
        text = table[column]
        problems += _problems(text, slots.isna() & text.notna(),
                              "Tranche horaire non reconnue : écrivez l'heure de début, par exemple 08h-10h "
                              "ou 08:00.", "Unrecognised time slot: write its start hour, e.g. 08h-10h or 08:00.")
        problems += _problems(text, text.isna(), "Tranche horaire manquante.", "Missing time slot.",
                              keep_empty=True)
    level, code, name = _origins(table)
    keys = pd.DataFrame({"date": table["Date"], "zone": table["ZoneObservation"],
                         "provenance": _folded(table["Provenance"]).str.replace(" ", ""),
                         "category": _folded(table["CategorieVisiteur"]), "slot": slots, "level": level,
                         "code": code, "name": name}, index=table.index)
    repeated = keys.duplicated(keep="first")
    problems += [Problem(int(line), "", "",
                         "Ligne en double : une ligne précédente porte sur le même jour, la même zone, provenance, "
                         "catégorie, tranche horaire et origine (elle serait comptée deux fois).",
                         "Duplicate row: an earlier line has the same day, zone, provenance, category, slot "
                         "and origin.")
                 for line in keys.index[repeated]]
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


# --- the curated tables ------------------------------------------------------------------------

ALL_POINTS = ""  # the site_id of all counting points together
OTHERS = "autres"


def daily_rollup(hourly: pd.DataFrame) -> pd.DataFrame:
    """Passages per point and local day, and for all points, over every day of the period.

    A day with an hour missing (an hour without a count, or without a row: 24 hours a day, 23 or 25
    when the clocks change) is missing (NULL), never a partial sum or 0; the all-points total of a
    day sums the points fully counted that day. `avg7`: mean of the 7 days ending that day (at least 4
    of them counted); `last_year`: the same weekday 52 weeks (364 days) earlier.
    """
    day = hourly["hour"].dt.tz_localize(None).dt.normalize()
    count = hourly["count"].to_numpy(float)
    frame = pd.DataFrame({"site_id": hourly["site_id"].to_numpy(), "day": day.to_numpy(), "count": count,
                          "missing": np.isnan(count)})
    per_site = frame.groupby(["site_id", "day"]).agg(passages=("count", "sum"), gap=("missing", "any"),
                                                      hours=("count", "size"))
    local_days = per_site.index.get_level_values("day")
    midnight = local_days.tz_localize(PARIS)
    length = ((local_days + pd.Timedelta(days=1)).tz_localize(PARIS) - midnight) // pd.Timedelta(hours=1)
    complete = ~per_site["gap"].to_numpy() & (per_site["hours"].to_numpy() == np.asarray(length))
    per_site = per_site["passages"].where(complete).reset_index()
    everyone = per_site.groupby("day", as_index=False)["passages"].sum(min_count=1).assign(site_id=ALL_POINTS)
    days = pd.date_range(frame["day"].min(), frame["day"].max(), freq="D", name="day")
    out = []
    for site_id, group in pd.concat([per_site, everyone]).groupby("site_id", sort=False):
        series = group.set_index("day")["passages"].reindex(days)
        out.append(pd.DataFrame({
            "site_id": site_id, "day": days.date, "passages": series.to_numpy(),
            "avg7": series.rolling(7, min_periods=4).mean().to_numpy(),
            "last_year": series.shift(364).to_numpy(),
        }))
    return pd.concat(out, ignore_index=True)


def hourly_rollup(hourly: pd.DataFrame) -> pd.DataFrame:
    """Passages per point (and all points), month, weekday and local hour, with the days counted."""
    local = hourly["hour"].dt.tz_localize(None)
    counted = hourly["count"].notna().to_numpy()
    local, sites, counts = local[counted], hourly["site_id"].to_numpy()[counted], hourly["count"].to_numpy(float)[counted]
    frame = pd.DataFrame({"site_id": sites, "month": (local.dt.year * 100 + local.dt.month).to_numpy(),
                          "weekday": local.dt.day_of_week.to_numpy(), "hour": local.dt.hour.to_numpy(),
                          "day": local.dt.normalize().to_numpy(), "passages": counts})
    both = pd.concat([frame, frame.assign(site_id=ALL_POINTS)], ignore_index=True)
    out = (both.groupby(["site_id", "month", "weekday", "hour"])
           .agg(passages=("passages", "sum"), days=("day", "nunique")).reset_index())
    labels = {m: f"{m // 100:04d}-{m % 100:02d}" for m in out["month"].unique()}
    out["month"] = out["month"].map(labels)
    return out


def visitors_rollup(flux: pd.DataFrame) -> pd.DataFrame:
    """Flux Vision presence per zone, day and visitor category.

    From the daily rows without an origin when the file has them; a file broken down by origin only
    is summed over its origins (the counts Orange hid are then not in the total: it is a floor).
    """
    daily = flux[flux["slot"].isna()]
    rows = daily[daily["origin_level"].isna()]
    if rows.empty:
        rows = daily
    out = (rows.groupby(["zone", "date", "category"])["volume"].sum(min_count=1).astype(float).reset_index())
    days = pd.to_datetime(out["date"])
    return out.drop(columns="date").assign(day=days.dt.date, month=days.dt.strftime("%Y-%m"))


def origins_rollup(flux: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Visitors per zone, month and origin; origins below `minimum` are summed into "autres", which is
    itself left out when it stays below `minimum`: no stored count is ever smaller than `minimum`."""
    rows = flux[flux["origin_level"].notna() & flux["slot"].isna() & flux["volume"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=["zone", "month", "level", "origin", "volume"])
    origin = rows["origin_name"].where(rows["origin_name"].notna(), rows["origin_code"]).fillna(OTHERS)
    frame = pd.DataFrame({"zone": rows["zone"], "month": pd.to_datetime(rows["date"]).dt.strftime("%Y-%m"),
                          "level": rows["origin_level"], "origin": origin, "volume": rows["volume"].astype(float)})
    summed = frame.groupby(["zone", "month", "level", "origin"], as_index=False)["volume"].sum()
    small = summed["volume"] < minimum
    others = (summed[small].groupby(["zone", "month", "level"], as_index=False)["volume"].sum()
              .assign(origin=OTHERS))
    kept = pd.concat([summed[~small & (summed["origin"] != OTHERS)], others], ignore_index=True)
    kept = kept.groupby(["zone", "month", "level", "origin"], as_index=False)["volume"].sum()
    return kept[kept["volume"] >= minimum].reset_index(drop=True)


def build_tables(sources: Mapping[str, Source], minimum: int = 20) -> dict[str, pd.DataFrame]:
    """The footfall story's rollups from its datasets' files (keyed by dataset slug)."""
    sites = read_counter_sites(sources["comptage-sites"])
    channels = read_counter_channels(sources["comptage-canaux"])
    hourly = pedestrian_hourly(sites, channels, read_counter_measures(sources["comptage-mesures"]))
    # An hour when one of a site's pedestrian channels sent nothing is a partial count: not counted.
    walking = channels[channels["mobility_type"] == PEDESTRIAN].drop_duplicates("channel_id")
    expected = hourly["site_id"].map(walking.groupby("site_id").size())
    hourly["count"] = hourly["count"].where(hourly["channels"] >= expected)
    points = sites[sites["site_id"].isin(set(hourly["site_id"]))]
    flux = read_flux_vision(sources["flux-vision"])
    return {
        "footfall_point": points[["site_id", "name", "commune_code", "longitude", "latitude"]],
        "footfall_daily": daily_rollup(hourly),
        "footfall_hourly": hourly_rollup(hourly),
        "footfall_visitors": visitors_rollup(flux),
        "footfall_origin": origins_rollup(flux, minimum),
    }
