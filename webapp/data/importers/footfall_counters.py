"""The national counting schema ("comptage des mobilités", etalab/schema-comptage-mobilites-site,
-channel and -measure): sites, channels and measures, read, checked across files, and the hourly
pedestrian footfall of each site. The rules are in `webapp.data.importers.footfall`'s docstring.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from webapp.data.schema import Problem, load_schema, normalise
from webapp.data.tabular import read_source
from webapp.i18n import _l, _nl

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


class UnusableMeasures(ValueError):
    """Pedestrian measures that cannot be put into hours: `fr` and `en` say which and why."""

    def __init__(self, fr: str, en: str) -> None:
        super().__init__(en)
        self.fr, self.en = fr, en

    @classmethod
    def of(cls, text: Mapping[str, str]) -> UnusableMeasures:
        """From a lazy text (`_l("…")`)."""
        return cls(text["fr"], text["en"])


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

SPAN_RULES = {  # why a measure cannot be put in an hour
    "backwards": _l("La fin de la mesure doit être postérieure à son début."),
    "unknown": _l("Fin de la mesure absente et pas de temps (time_step) du canal non renseigné : la durée "
                  "de la mesure est inconnue."),
    "long": _l("Mesure de plus d'une heure sur un canal piéton : le site compte les passages par heure et "
               "ne répartit pas un total sur plusieurs heures. Déposez des mesures horaires ou plus fines."),
    "straddles": _l("Mesure à cheval sur deux heures : une mesure d'une heure doit commencer à l'heure pile, "
                    "et une mesure plus courte finir dans l'heure où elle commence (10:15-10:30, pas "
                    "10:50-11:05)."),
}


def channel_problems(table: pd.DataFrame, sites: pd.DataFrame) -> list[Problem]:
    """Channels of a site missing from the sites file (`sites`: `read_counter_sites`'s table)."""
    ids = table["site_id"]
    unknown = ids.notna() & ~ids.isin(set(sites["site_id"]))
    rule = _l("Site inconnu : ce site_id n'est pas dans le fichier des sites de comptage.")
    return [Problem.of(int(line), "site_id", str(value), rule) for line, value in ids[unknown].items()]


def measure_problems(table: pd.DataFrame, channels: pd.DataFrame) -> list[Problem]:
    """What the measures' descriptor cannot check (rules in `webapp.data.importers.footfall`'s
    docstring).

    `table` is the measure file as validated (strings, indexed by line of the file); `channels` is
    `read_counter_channels`'s table. Cells the descriptor already refused are not reported again.
    """
    problems: list[Problem] = []
    ids = table["channel_id"]
    unknown = ids.notna() & ~ids.isin(set(channels["channel_id"]))
    problems += _problems(ids, unknown,
                          _l("Canal inconnu : ce channel_id n'est pas dans le fichier des canaux de comptage."))
    times = {}
    for column in ("start_datetime", "end_datetime"):
        text, parsed = table[column], local_times(table[column])
        impossible = parsed.isna() & text.notna() & _matches(text, "comptage-mesures", column)
        problems += _problems(text, impossible, _l("Date ou heure qui n'existe pas dans le calendrier."))
        times[column] = parsed
    start, end = times["start_datetime"], times["end_datetime"]
    backwards = end.notna() & start.notna() & (end <= start)
    problems += _problems(table["end_datetime"], backwards, SPAN_RULES["backwards"])

    walking = set(channels.loc[channels["mobility_type"] == PEDESTRIAN, "channel_id"])
    steps = channels.drop_duplicates("channel_id").set_index("channel_id")["time_step"]
    unreadable_end = table["end_datetime"].notna() & end.isna()  # already reported
    kept = ids.isin(walking) & start.notna() & ~backwards & ~unreadable_end
    spans = _spans(start[kept], end[kept], ids[kept].map(steps))
    for kind, rule in SPAN_RULES.items():
        if kind != "backwards":
            problems += _problems(table.loc[kept, "end_datetime"], spans["kind"] == kind, rule, keep_empty=True)
    return problems


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


def _problems(values: pd.Series, where: pd.Series, rule: Mapping[str, str], keep_empty: bool = False) -> list[Problem]:
    picked = values[where.reindex(values.index, fill_value=False).to_numpy(bool)]
    fr, en = rule["fr"], rule["en"]  # translated once for every line
    return [Problem(int(line), str(values.name), "" if pd.isna(v) else str(v), fr, en)
            for line, v in picked.items() if keep_empty or not pd.isna(v)]


# --- counters: hourly pedestrian footfall ------------------------------------------------------

def pedestrian_hourly(sites: pd.DataFrame, channels: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Pedestrians per site and local hour (rules in `webapp.data.importers.footfall`'s docstring),
    from the three readers'
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
    return UnusableMeasures.of(_nl(
        "{n} mesure de canal piéton ne peut pas être rangée par heure : celle du canal « {channel} » commençant "
        "le {when}. {rule}",
        "{n} mesures de canaux piétons ne peuvent pas être rangées par heure, par exemple celle du canal "
        "« {channel} » commençant le {when}. {rule}", len(measures), channel=first["channel_id"],
        when=first["start"].isoformat(), rule=SPAN_RULES[kind]))
