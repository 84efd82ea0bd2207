"""Deterministic demo footfall of the centre of Arras, in two official formats.

The city has no published footfall series: until an editor imports the real files, the site shows
these demo files, labelled "données de démonstration". Each generator writes the exact format of the
official file, so that the same importer reads the demo file today and the real file later.

`counters`: hourly pedestrian counts of 24 counting points (the number of points of the 2018
Mytraffic study) in the national "comptage des mobilités" format of Etalab / transport.data.gouv.fr:
three CSV files (`site`, `channel`, `measure`; UTF-8, `,`, as the schema's example files). Datetimes
are local, written with their offset as in the example measure file (`2021-09-15T00:00:00+02`): `+01`
in winter, `+02` in summer, so the days of the clock changes have 23 and 25 rows per channel and the
repeated hour of October is told apart by its offset. The points are on real squares and streets of
the centre; their coordinates were placed by hand (to about 50 m, inside the "Hyper Centre" IRIS but
for the station forecourt and a boulevard) and are not survey positions.

`flux_vision`: an Orange Business "Flux Vision" presence export (daily rows per observation zone,
provenance and visitor category, with the origin département or country). Assumed format: `;`
separated, UTF-8 with BOM, CRLF line ends, dates dd/mm/yyyy, as French exports usually are; flags
0/1; volumes below `SUPPRESSED_BELOW` left empty, as Orange does not publish small counts.

What is measured and what is assumed:
- Hour-of-day x weekday shapes are real: the medians of the City of Melbourne's pedestrian counts
  (CC BY 4.0) in 2015-2016 on an ordinary day (no public holiday, not 15 Dec - 15 Jan), for its
  shopping street (Bourke Street Mall North) and for a railway station (Southern Cross); the tables
  below were derived from that file (the recipe is written above them). Monday to Friday daily
  levels are Melbourne's too.
  Melbourne is in the southern hemisphere: its months are not used as seasons (its January is a
  summer-holiday month); only calendar-bound effects are taken from it: the December Christmas
  shopping ramp (+5 % early December to about +35 % just before Christmas on Bourke Street) and the
  level of a day with shops closed (Christmas Day, Good Friday, New Year's Day: about half of the
  same weekday), which gives the French Sunday and public holidays (shops closed) their level.
- Assumed for Arras: Saturday the busiest day (1.3 x a Tuesday-Thursday), many independent shops
  closed on Monday mornings, a station busy at weekends (students, Paris trains); a mild weather
  season (+/- 5 %, high in July); summer tourism on the squares; the winter and summer sales (Code de
  commerce, art. D310-15-2, with the Covid postponements); the Wednesday and Saturday morning markets
  on the Grand-Place, the Place des Héros and the Place de la Vacquerie (not on public holidays, not
  during the first lockdown); shops closing early on 24 and 31 December; the Christmas market on the
  Grand-Place (last Friday of November to 30 December, closed on the 25th, cancelled in 2020);
  French public holidays (computed, Easter-based ones included) and the school holidays of the three
  zones (table below; Arras is in zone B, académie de Lille).
- Covid (`COVID`): lockdowns (17 Mar - 10 May 2020; 30 Oct 2020, shops reopened 28 Nov, to 14 Dec
  2020; in the Pas-de-Calais weekend lockdowns in March 2021, then shops closed 20 Mar - 18 May 2021
  with the national lockdown 3 Apr - 2 May) and curfews (21 h from 24 Oct 2020, 20 h from 15 Dec,
  18 h from 16 Jan 2021, 19 h, 21 h, 23 h until 20 Jun 2021). Then a recovery to 99 % of the pre-Covid
  level by 2025 (`RECOVERY`, an assumption).
- Calibration on the published figures (press, Villes de France / Mytraffic 2021): about 1.75
  million passages a month in the centre from March 2020 to January 2021, 76 % of the pre-Covid
  level of January-February 2020. The expected sum over all points of January and February 2020 is
  set to 1.75 M / 0.76 = 2.30 M a month (the pre-Covid level, whatever the period generated); the
  Covid factors give the 76 %.
- Flux Vision volumes (assumptions): visitors in proportion to the passages counted at the zone's
  points, residents about constant (fewer in the summer holidays, more in lockdowns), tourists 7 % of
  visitors (more in July-August, on Fridays and Saturdays, during the Christmas market), origins from
  fixed shares (Nord, Somme, Paris area…; Belgium, United Kingdom…) with daily noise, foreign visitors
  down by 80 % while borders were closed (March 2020 - June 2021).
- Noise: a city-wide day factor (weather), a day factor per point and an hourly factor (log-normal,
  mean 1), then Poisson counts. Every day draws from its own generator seeded by (seed, day): the
  same day has the same counts whatever the period asked for, so a short period is the tail of a
  long one.

The generator is split by subject; this module keeps the entry points (`counters`, `flux_vision`,
`write_files`) and every name the rest of the site and the tests read from it:
`footfall_sites` (the counting points), `footfall_profiles` (Melbourne's profiles, the levels assumed
for Arras), `footfall_calendar` (holidays, Covid, periods), `footfall_model` (the expected passages and
the counts), `footfall_counters` (the counting schema's files), `footfall_fluxvision` (the Flux Vision
format and assumptions).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import numpy as np

from webapp.demo.footfall_calendar import (
    CHRISTMAS_MARKET_CANCELLED,
    CITY_ZONE,
    COVID,
    DEMO_SHORT,
    DEMO_YEARS,
    MARKETS_SUSPENDED,
    RECOVERY,
    SCHOOL_HOLIDAYS,
    Period,
    _christmas_market,
    _covid,
    _holidays,
    christmas_market,
    easter,
    last_months,
    period_bounds,
    public_holidays,
    sales_start,
    school_holidays,
)
from webapp.demo.footfall_counters import (
    CHANNEL_COLUMNS,
    COMMUNE,
    DATA_PROVIDER,
    DEMO_COMMENT,
    MEASURE_COLUMNS,
    SITE_COLUMNS,
    _measures,
    channels_file,
    sites_file,
)
from webapp.demo.footfall_fluxvision import (
    COUNTRIES,
    DEPARTEMENTS,
    FLUX_VISION_COLUMNS,
    FLUX_VISION_ORIGIN_COLUMNS,
    LOCAL_DEPARTEMENT,
    PROVENANCE,
    RESIDENTS,
    SUPPRESSED_BELOW,
    TOURIST_SHARE,
    VISITORS_PER_PASSAGE,
    WEEKDAYS_FR,
    _origins,
)
from webapp.demo.footfall_model import (
    CHRISTMAS_HOURS,
    CHRISTMAS_LATE,
    CURFEW_LEVEL,
    MARKET_HOURS,
    NOISE,
    PRE_COVID_MONTHLY,
    PUBLISHED_MONTHLY,
    PUBLISHED_SHARE,
    TZ,
    WEDNESDAY_MARKET,
    _counts,
    _expected,
    _scale,
)
from webapp.demo.footfall_profiles import (
    CHRISTMAS_RAMP,
    CLOSED_DAYS,
    DAY_INDEX,
    MELBOURNE_DAY_SHOPPING,
    MELBOURNE_DAY_STATION,
    MELBOURNE_SHOPPING,
    MELBOURNE_STATION,
    MONDAY_MORNING,
    PROFILES,
    SATURDAY,
    SHOPS_CLOSED,
    STATION_WEEKEND,
)
from webapp.demo.footfall_sites import SITES, ZONES, Site, channel_ids, site_id

__all__ = [  # the entry points, and the names read from this module before it was split
    "counters", "flux_vision", "write_files",
    "CHRISTMAS_MARKET_CANCELLED", "CITY_ZONE", "COVID", "DEMO_SHORT", "DEMO_YEARS", "MARKETS_SUSPENDED", "RECOVERY",
    "SCHOOL_HOLIDAYS", "Period", "christmas_market", "easter", "last_months", "period_bounds", "public_holidays",
    "sales_start", "school_holidays",
    "CHANNEL_COLUMNS", "COMMUNE", "DATA_PROVIDER", "DEMO_COMMENT", "MEASURE_COLUMNS", "SITE_COLUMNS", "channels_file",
    "sites_file",
    "COUNTRIES", "DEPARTEMENTS", "FLUX_VISION_COLUMNS", "FLUX_VISION_ORIGIN_COLUMNS", "LOCAL_DEPARTEMENT",
    "PROVENANCE", "RESIDENTS", "SUPPRESSED_BELOW", "TOURIST_SHARE", "VISITORS_PER_PASSAGE", "WEEKDAYS_FR",
    "CHRISTMAS_HOURS", "CHRISTMAS_LATE", "CURFEW_LEVEL", "MARKET_HOURS", "NOISE", "PRE_COVID_MONTHLY",
    "PUBLISHED_MONTHLY", "PUBLISHED_SHARE", "TZ", "WEDNESDAY_MARKET",
    "CHRISTMAS_RAMP", "CLOSED_DAYS", "DAY_INDEX", "MELBOURNE_DAY_SHOPPING", "MELBOURNE_DAY_STATION",
    "MELBOURNE_SHOPPING", "MELBOURNE_STATION", "MONDAY_MORNING", "PROFILES", "SATURDAY", "SHOPS_CLOSED",
    "STATION_WEEKEND",
    "SITES", "ZONES", "Site", "channel_ids", "site_id",
]


# --- the files: comptage des mobilités ------------------------------------------------------------

def counters(period: Period = DEMO_YEARS, seed: int = 62041) -> dict[str, bytes]:
    """The three files of the national counting schema, {"sites", "channels", "measures"}: the same bytes
    for the same arguments. Measures are hourly, ordered by time then channel, as in Etalab's example."""
    first, last = period_bounds(period)
    model, counts = _counts(first, last, seed)
    return {"sites": sites_file(), "channels": channels_file(first, last), "measures": _measures(model, counts)}


# --- the file: Orange Flux Vision presence --------------------------------------------------------

def flux_vision(period: Period = DEMO_SHORT, seed: int = 62041, origins: bool = True) -> bytes:
    """The demo Flux Vision presence export: one row per day, zone, provenance and category (and, with
    `origins`, per origin département or country, in CodeDepartement, NomDepartement, Pays). The daily
    volumes follow the demo counters of the zone's points (same model, same calendar, same Covid)."""
    first, last = period_bounds(period)
    model = _expected(first, last, seed)
    t = model.timeline
    days = t.days
    per_day = np.zeros((len(days), len(model.sites)))
    np.add.at(per_day, t.day, model.site_lambda * _scale(seed))
    zone_of = np.array([s.zone for s in model.sites])
    school = {z: school_holidays(days, z) for z in "ABC"}
    holiday = _holidays(days)
    covid, _ = _covid(days)
    christmas = _christmas_market(days)
    month, dow = days.month.to_numpy(), days.day_of_week.to_numpy()
    borders_closed = (days.to_numpy() >= np.datetime64(date(2020, 3, 14))) & \
        (days.to_numpy() < np.datetime64(date(2021, 7, 1)))

    header = FLUX_VISION_COLUMNS + (FLUX_VISION_ORIGIN_COLUMNS if origins else [])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for i, day in enumerate(days):
        rng = np.random.default_rng([seed, day.toordinal(), 1])  # a stream of its own, apart from the counters'
        flags = [("1" if school[z][i] else "0") for z in "ABC"] + ["1" if holiday[i] else "0"]
        common = [WEEKDAYS_FR[dow[i]], *flags]
        stamp = day.strftime("%d/%m/%Y")
        tourists = TOURIST_SHARE * (2.2 if month[i] in (7, 8) else 1.0) * (1.3 if dow[i] >= 4 else 1.0)
        tourists *= (1.4 if christmas[i] else 1.0) * (0.3 if covid[i] < 0.5 else 1.0)
        summer = school[CITY_ZONE][i] == "Été"
        for zone in ZONES:
            passages = per_day[i, zone_of == zone].sum()
            visitors = VISITORS_PER_PASSAGE * passages * rng.lognormal(-0.05 ** 2 / 2, 0.05)
            resident_level = (0.85 if summer else 1.0) * (1.1 if covid[i] < 0.5 else 1.0)
            residents = RESIDENTS[zone] * resident_level * rng.lognormal(-0.03 ** 2 / 2, 0.03)
            rows = [("Local", "Résident", residents, LOCAL_DEPARTEMENT + ("France",))]
            share = min(tourists, 0.6)
            for category, volume in (("Excursionniste", visitors * (1 - share)), ("Touriste", visitors * share)):
                local, french, foreign = PROVENANCE[category]
                if borders_closed[i]:
                    foreign *= 0.2
                total = local + french + foreign
                rows.append(("Local", category, volume * local / total, LOCAL_DEPARTEMENT + ("France",)))
                k = 1 if category == "Excursionniste" else 2  # the weight column of that category
                rows += _origins("NonLocal", category, volume * french / total, rng, origins,
                                 [((d[0], d[1], "France"), d[k + 1]) for d in DEPARTEMENTS])
                rows += _origins("Etranger", category, volume * foreign / total, rng, origins,
                                 [(("", "", c[0]), c[k]) for c in COUNTRIES])
            for provenance, category, volume, origin in rows:
                shown = round(volume)
                cells = [stamp, zone, provenance, category, str(shown) if shown >= SUPPRESSED_BELOW else "", *common]
                writer.writerow(cells + (list(origin) if origins else []))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_files(folder: Path, period: Period = DEMO_SHORT, seed: int = 62041) -> list[Path]:
    """Write the demo files into `folder` (the counting schema's three files and the Flux Vision export)."""
    first, last = period_bounds(period)
    stem = f"demo-arras-{first:%Y%m}-{last:%Y%m}"
    files = {folder / f"{stem}-comptage-{kind}.csv": content
             for kind, content in counters((first, last), seed).items()}
    files[folder / f"{stem}-flux-vision.csv"] = flux_vision((first, last), seed)
    for path, content in files.items():
        path.write_bytes(content)
    return list(files)
