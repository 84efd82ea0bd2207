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

from collections.abc import Mapping

import numpy as np
import pandas as pd

from webapp.data.importers.footfall_counters import (
    CHANNEL_COLUMNS,
    HOUR,
    HOURLY_COLUMNS,
    MEASURE_COLUMNS,
    PARIS,
    PEDESTRIAN,
    SITE_COLUMNS,
    SPAN_RULES,
    Source,
    UnusableMeasures,
    channel_problems,
    local_times,
    measure_problems,
    pedestrian_hourly,
    read_counter_channels,
    read_counter_measures,
    read_counter_sites,
)
from webapp.data.importers.footfall_fluxvision import (
    CATEGORIES,
    FLAGS,
    FLUX_VISION_COLUMNS,
    ORIGINS,
    PROVENANCES,
    SLOT,
    SLOT_COLUMNS,
    flux_vision_problems,
    read_flux_vision,
)
from webapp.data.schema import with_problems

__all__ = [  # the readers and checks live in footfall_counters and footfall_fluxvision
    "ALL_POINTS", "CATEGORIES", "CHANNEL_COLUMNS", "FLAGS", "FLUX_VISION_COLUMNS", "HOUR", "HOURLY_COLUMNS",
    "MEASURE_COLUMNS", "ORIGINS", "OTHERS", "PARIS", "PEDESTRIAN", "PROVENANCES", "SITE_COLUMNS", "SLOT",
    "SLOT_COLUMNS", "SPAN_RULES", "Source", "UnusableMeasures", "build_tables", "channel_problems", "daily_rollup",
    "flux_vision_problems", "hourly_rollup", "local_times", "measure_problems", "origins_rollup",
    "pedestrian_hourly", "read_counter_channels", "read_counter_measures", "read_counter_sites",
    "read_flux_vision", "visitors_rollup", "with_problems",
]


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
