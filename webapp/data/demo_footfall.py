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
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from webapp.data.calendar import christmas_market, sales_start

TZ = "Europe/Paris"
COMMUNE = "62041"
DATA_PROVIDER = "DEMO"
DEMO_COMMENT = "Données de démonstration (générées)"

SITE_COLUMNS = ["site_id", "parent_site_id", "site_name", "fr_insee_code", "xlong", "ylat", "external_ids",
                "infrastructure_type"]
CHANNEL_COLUMNS = ["channel_id", "channel_provider_id", "site_provider_id", "site_id", "mobility_type", "comment",
                   "counter_transmission_type", "publication_transmission_type", "counter_type", "direction",
                   "provider_direction_code", "provider_direction_name", "data_provider_name", "temporality",
                   "started_at", "ended_at", "last_updated_at", "time_step", "provider_portal_url"]
MEASURE_COLUMNS = ["channel_id", "counter_id", "start_datetime", "end_datetime", "count"]
FLUX_VISION_COLUMNS = ["Date", "ZoneObservation", "Provenance", "CategorieVisiteur", "Volume", "JourDeLaSemaine",
                       "VacancesA", "VacancesB", "VacancesC", "Ferie"]
FLUX_VISION_ORIGIN_COLUMNS = ["CodeDepartement", "NomDepartement", "Pays"]

PUBLISHED_MONTHLY = 1_750_000  # passages a month, March 2020 - January 2021 (press, Mytraffic)
PUBLISHED_SHARE = 0.76  # of the January-February 2020 level
PRE_COVID_MONTHLY = PUBLISHED_MONTHLY / PUBLISHED_SHARE  # about 2.30 M, January-February 2020
SUPPRESSED_BELOW = 20  # Flux Vision volumes below this are not published


# --- counting points ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    code: str
    name: str
    lon: float
    lat: float
    kind: str  # square | shopping | street | station (selects the profile and the effects)
    weight: float  # passages on an ordinary pre-Covid Tuesday-Thursday, before calibration
    infrastructure: str  # the schema's infrastructure_type
    directions: tuple[tuple[str, str], ...] = ()  # (cardinal direction, "towards …") per channel; () one channel
    market: float = 0.0  # share of the market-morning boost
    christmas: float = 0.0  # share of the Christmas-market boost
    zone: str = ""  # Flux Vision observation zone


SITES = (
    Site("P01", "Grand-Place (ouest)", 2.7791, 50.2917, "square", 3200, "OTHER", market=1.0, christmas=1.0,
         zone="Grand-Place"),
    Site("P02", "Grand-Place (centre)", 2.7801, 50.2920, "square", 3800, "OTHER", market=1.0, christmas=1.0,
         zone="Grand-Place"),
    Site("P03", "Grand-Place (est)", 2.7812, 50.2922, "square", 2800, "OTHER", market=0.8, christmas=0.8,
         zone="Grand-Place"),
    Site("P04", "Place des Héros (beffroi)", 2.7769, 50.2906, "square", 4200, "OTHER", market=1.0, christmas=0.2,
         zone="Place des Héros"),
    Site("P05", "Place des Héros (est)", 2.7784, 50.2909, "square", 3600, "OTHER", market=1.0, christmas=0.3,
         zone="Place des Héros"),
    Site("P06", "Rue de la Taillerie", 2.7788, 50.2913, "shopping", 5200, "FOOTPATH",
         (("NE", "vers la Grand-Place"), ("SW", "vers la place des Héros")), market=0.4, christmas=0.4,
         zone="Rues commerçantes"),
    Site("P07", "Place de la Vacquerie", 2.7760, 50.2901, "square", 2000, "OTHER", market=0.8,
         zone="Place des Héros"),
    Site("P08", "Rue Ernestale", 2.7752, 50.2893, "shopping", 6800, "FOOTPATH",
         (("N", "vers la place du Théâtre"), ("S", "vers la rue Gambetta")), zone="Rues commerçantes"),
    Site("P09", "Rue Gambetta (place Foch)", 2.7793, 50.2878, "shopping", 5000, "MUNICIPAL ROAD",
         (("E", "vers la gare"), ("W", "vers le centre")), zone="Rues commerçantes"),
    Site("P10", "Rue Gambetta (rue Ernestale)", 2.7765, 50.2886, "shopping", 6200, "MUNICIPAL ROAD",
         (("E", "vers la gare"), ("W", "vers la rue Ernestale")), zone="Rues commerçantes"),
    Site("P11", "Rue Saint-Aubert", 2.7745, 50.2905, "shopping", 5600, "MUNICIPAL ROAD",
         (("E", "vers la place des Héros"), ("W", "vers la place du Théâtre")), zone="Rues commerçantes"),
    Site("P12", "Rue Ronville", 2.7797, 50.2890, "shopping", 3000, "MUNICIPAL ROAD",
         (("N", "vers la place des Héros"), ("S", "vers la porte Ronville")), zone="Rues commerçantes"),
    Site("P13", "Rue Saint-Géry", 2.7770, 50.2922, "street", 1600, "MUNICIPAL ROAD"),
    Site("P14", "Place du Théâtre", 2.7740, 50.2897, "street", 2400, "OTHER"),
    Site("P15", "Rue des Trois-Visages", 2.7760, 50.2912, "street", 1500, "MUNICIPAL ROAD", zone="Rues commerçantes"),
    Site("P16", "Boulevard Faidherbe", 2.7830, 50.2880, "street", 1800, "MUNICIPAL ROAD", zone="Gare"),
    Site("P17", "Place Foch (gare)", 2.7806, 50.2872, "station", 5500, "OTHER",
         (("SE", "vers la gare"), ("NW", "vers le centre")), zone="Gare"),
    Site("P18", "Rue Désiré-Bras", 2.7733, 50.2905, "street", 1400, "MUNICIPAL ROAD"),
    Site("P19", "Rue Delansorne", 2.7748, 50.2888, "street", 1500, "MUNICIPAL ROAD", zone="Rues commerçantes"),
    Site("P20", "Rue de la Braderie", 2.7775, 50.2918, "street", 1300, "MUNICIPAL ROAD", zone="Rues commerçantes"),
    Site("P21", "Rue Paul-Doumer", 2.7748, 50.2918, "street", 1500, "MUNICIPAL ROAD"),
    Site("P22", "Place du Wetz d'Amain", 2.7776, 50.2928, "street", 1100, "OTHER"),
    Site("P23", "Rue des Jongleurs", 2.7738, 50.2890, "street", 900, "MUNICIPAL ROAD", zone="Rues commerçantes"),
    Site("P24", "Boulevard Carnot", 2.7770, 50.2880, "street", 2000, "MUNICIPAL ROAD", zone="Gare"),
)
ZONES = ("Grand-Place", "Place des Héros", "Rues commerçantes", "Gare")


def site_id(site: Site) -> str:
    return f"ARRAS-{site.code}"


def channel_ids(site: Site) -> list[str]:
    return [f"ARRAS-{site.code}-{i}" for i in range(1, max(len(site.directions), 1) + 1)]


# --- profiles: City of Melbourne, Pedestrian Counting System 2015-2016 (CC BY 4.0) ----------------

# Share of the day's passages by local hour (0-23), in 1/10000, one row per weekday (Monday first),
# derived from the City of Melbourne's hourly counts 2015-2016 (as kept by the tsibble R package):
# on ordinary days only (24 hours counted, outside 15 December - 15 January, at least 3/4 of the
# median day of their weekday, which leaves public holidays out), the median count of each weekday
# and hour, as a share of the day. Each row is normalised to 1 when used.
MELBOURNE_SHOPPING = (  # Bourke Street Mall (North)
    (23, 14, 8, 5, 5, 14, 37, 100, 272, 334, 500, 707, 1149, 1270, 1024, 980, 956, 998, 738, 383, 213, 141, 82, 44),
    (21, 11, 5, 5, 4, 14, 38, 112, 287, 329, 480, 674, 1133, 1253, 1010, 939, 912, 1032, 783, 431, 229, 150, 95, 47),
    (20, 11, 7, 5, 5, 13, 35, 107, 272, 323, 462, 690, 1115, 1227, 970, 937, 948, 1030, 798, 448, 250, 165, 108, 55),
    (23, 14, 9, 7, 5, 11, 33, 101, 253, 301, 444, 626, 1015, 1147, 912, 878, 906, 1012, 873, 585, 414, 244, 124, 62),
    (28, 17, 13, 10, 8, 9, 30, 80, 217, 276, 416, 590, 944, 1055, 869, 869, 893, 1043, 900, 644, 500, 303, 172, 112),
    (74, 44, 28, 22, 15, 11, 15, 35, 97, 234, 470, 725, 897, 1024, 1104, 1135, 1082, 944, 723, 542, 289, 188, 177,
     124),
    (95, 70, 49, 38, 25, 15, 22, 28, 73, 224, 465, 761, 979, 1158, 1217, 1205, 1134, 924, 651, 395, 190, 142, 90, 50),
)
MELBOURNE_STATION = (  # Southern Cross Station
    (8, 2, 2, 1, 2, 33, 243, 875, 1810, 906, 302, 275, 638, 580, 339, 433, 1018, 1573, 610, 168, 74, 53, 33, 18),
    (7, 2, 1, 1, 2, 37, 269, 900, 1790, 869, 308, 282, 633, 578, 346, 456, 1007, 1517, 621, 184, 78, 54, 35, 18),
    (7, 2, 2, 1, 2, 38, 262, 879, 1790, 877, 312, 290, 638, 592, 359, 462, 994, 1498, 608, 188, 80, 57, 36, 22),
    (8, 4, 2, 1, 2, 36, 269, 884, 1748, 888, 320, 286, 648, 591, 373, 476, 992, 1472, 603, 182, 84, 64, 41, 25),
    (10, 4, 2, 2, 2, 36, 265, 839, 1714, 884, 332, 311, 709, 641, 399, 529, 1011, 1292, 519, 204, 104, 81, 63, 43),
    (153, 81, 54, 41, 32, 68, 208, 379, 406, 537, 637, 641, 632, 655, 804, 650, 655, 704, 786, 515, 383, 339, 375,
     266),
    (214, 134, 85, 73, 49, 61, 104, 220, 391, 623, 665, 726, 696, 720, 702, 720, 659, 646, 751, 525, 433, 360, 256,
     183),
)
# Daily passages by weekday against the Tuesday-Thursday mean (Melbourne, ordinary days).
MELBOURNE_DAY_SHOPPING = (0.944, 0.933, 0.999, 1.068, 1.237, 1.117, 0.941)
MELBOURNE_DAY_STATION = (0.966, 1.005, 0.993, 1.002, 0.974, 0.134, 0.098)
SHOPS_CLOSED = 0.5  # a day with shops closed against the same weekday (Melbourne: Christmas Day, Good Friday…)
SATURDAY = 1.3  # assumed for Arras: Saturday is the shopping (and market) day
STATION_WEEKEND = (0.55, 0.5)  # assumed: Arras station is busy at weekends, unlike a commuter station
MONDAY_MORNING = 0.7  # before 14 h: many independent shops open on Monday afternoon only
CHRISTMAS_RAMP = (1.05, 1.35)  # Melbourne's Bourke Street, 1 and 23 December against November
CLOSED_DAYS = ((1, 1), (5, 1), (12, 25))  # nearly everything is closed, bars and bakeries included: x 0.7 more

DAY_INDEX = {
    "shopping": (*MELBOURNE_DAY_SHOPPING[:5], SATURDAY, MELBOURNE_DAY_SHOPPING[6] * SHOPS_CLOSED),
    "station": (*MELBOURNE_DAY_STATION[:5], *STATION_WEEKEND),
}


def _profile(table: tuple[tuple[int, ...], ...]) -> np.ndarray:
    shares = np.array(table, dtype=float)
    return shares / shares.sum(axis=1, keepdims=True)


PROFILES = {"shopping": _profile(MELBOURNE_SHOPPING), "station": _profile(MELBOURNE_STATION)}


# --- calendar -------------------------------------------------------------------------------------

def easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar, the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> dict[date, str]:
    """The eleven French public holidays of a year (metropolitan France, Alsace-Moselle apart)."""
    e = easter(year)
    return {
        date(year, 1, 1): "Jour de l'an", e + timedelta(days=1): "Lundi de Pâques", date(year, 5, 1): "Fête du travail",
        date(year, 5, 8): "Victoire 1945", e + timedelta(days=39): "Ascension", e + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale", date(year, 8, 15): "Assomption", date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918", date(year, 12, 25): "Noël",
    }


# School holidays: (name, first day without school, day school resumes, zones). Source: Ministère de
# l'Éducation nationale, calendrier scolaire (education.gouv.fr/calendrier-scolaire-100148 and the open
# dataset "Calendrier scolaire", data.education.gouv.fr fr-en-calendrier-scolaire); 2023-2026 fixed by
# the arrêté of 7 December 2022 (JO of 8 December 2022). The spring holidays of 2021 are those of the
# Covid change of April 2021 (all zones 10-26 April). "Pont de l'Ascension": no school on the Friday.
# Zone B includes the académie de Lille (Arras). Outside December 2018 - January 2027 no day is marked.
SCHOOL_HOLIDAYS = (
    ("Noël", date(2018, 12, 22), date(2019, 1, 7), "ABC"),
    ("Hiver", date(2019, 2, 16), date(2019, 3, 4), "A"),
    ("Hiver", date(2019, 2, 9), date(2019, 2, 25), "B"),
    ("Hiver", date(2019, 2, 23), date(2019, 3, 11), "C"),
    ("Printemps", date(2019, 4, 13), date(2019, 4, 29), "A"),
    ("Printemps", date(2019, 4, 6), date(2019, 4, 23), "B"),
    ("Printemps", date(2019, 4, 20), date(2019, 5, 6), "C"),
    ("Pont de l'Ascension", date(2019, 5, 30), date(2019, 6, 3), "ABC"),
    ("Été", date(2019, 7, 6), date(2019, 9, 2), "ABC"),
    ("Toussaint", date(2019, 10, 19), date(2019, 11, 4), "ABC"),
    ("Noël", date(2019, 12, 21), date(2020, 1, 6), "ABC"),
    ("Hiver", date(2020, 2, 22), date(2020, 3, 9), "A"),
    ("Hiver", date(2020, 2, 15), date(2020, 3, 2), "B"),
    ("Hiver", date(2020, 2, 8), date(2020, 2, 24), "C"),
    ("Printemps", date(2020, 4, 18), date(2020, 5, 4), "A"),
    ("Printemps", date(2020, 4, 11), date(2020, 4, 27), "B"),
    ("Printemps", date(2020, 4, 4), date(2020, 4, 20), "C"),
    ("Pont de l'Ascension", date(2020, 5, 21), date(2020, 5, 25), "ABC"),
    ("Été", date(2020, 7, 4), date(2020, 9, 1), "ABC"),
    ("Toussaint", date(2020, 10, 17), date(2020, 11, 2), "ABC"),
    ("Noël", date(2020, 12, 19), date(2021, 1, 4), "ABC"),
    ("Hiver", date(2021, 2, 6), date(2021, 2, 22), "A"),
    ("Hiver", date(2021, 2, 20), date(2021, 3, 8), "B"),
    ("Hiver", date(2021, 2, 13), date(2021, 3, 1), "C"),
    ("Printemps", date(2021, 4, 10), date(2021, 4, 26), "ABC"),
    ("Pont de l'Ascension", date(2021, 5, 13), date(2021, 5, 17), "ABC"),
    ("Été", date(2021, 7, 6), date(2021, 9, 2), "ABC"),
    ("Toussaint", date(2021, 10, 23), date(2021, 11, 8), "ABC"),
    ("Noël", date(2021, 12, 18), date(2022, 1, 3), "ABC"),
    ("Hiver", date(2022, 2, 12), date(2022, 2, 28), "A"),
    ("Hiver", date(2022, 2, 5), date(2022, 2, 21), "B"),
    ("Hiver", date(2022, 2, 19), date(2022, 3, 7), "C"),
    ("Printemps", date(2022, 4, 16), date(2022, 5, 2), "A"),
    ("Printemps", date(2022, 4, 9), date(2022, 4, 25), "B"),
    ("Printemps", date(2022, 4, 23), date(2022, 5, 9), "C"),
    ("Pont de l'Ascension", date(2022, 5, 26), date(2022, 5, 30), "ABC"),
    ("Été", date(2022, 7, 7), date(2022, 9, 1), "ABC"),
    ("Toussaint", date(2022, 10, 22), date(2022, 11, 7), "ABC"),
    ("Noël", date(2022, 12, 17), date(2023, 1, 3), "ABC"),
    ("Hiver", date(2023, 2, 4), date(2023, 2, 20), "A"),
    ("Hiver", date(2023, 2, 11), date(2023, 2, 27), "B"),
    ("Hiver", date(2023, 2, 18), date(2023, 3, 6), "C"),
    ("Printemps", date(2023, 4, 8), date(2023, 4, 24), "A"),
    ("Printemps", date(2023, 4, 15), date(2023, 5, 2), "B"),
    ("Printemps", date(2023, 4, 22), date(2023, 5, 9), "C"),
    ("Pont de l'Ascension", date(2023, 5, 18), date(2023, 5, 22), "ABC"),
    ("Été", date(2023, 7, 8), date(2023, 9, 4), "ABC"),
    ("Toussaint", date(2023, 10, 21), date(2023, 11, 6), "ABC"),
    ("Noël", date(2023, 12, 23), date(2024, 1, 8), "ABC"),
    ("Hiver", date(2024, 2, 17), date(2024, 3, 4), "A"),
    ("Hiver", date(2024, 2, 24), date(2024, 3, 11), "B"),
    ("Hiver", date(2024, 2, 10), date(2024, 2, 26), "C"),
    ("Printemps", date(2024, 4, 13), date(2024, 4, 29), "A"),
    ("Printemps", date(2024, 4, 20), date(2024, 5, 6), "B"),
    ("Printemps", date(2024, 4, 6), date(2024, 4, 22), "C"),
    ("Pont de l'Ascension", date(2024, 5, 9), date(2024, 5, 13), "ABC"),
    ("Été", date(2024, 7, 6), date(2024, 9, 2), "ABC"),
    ("Toussaint", date(2024, 10, 19), date(2024, 11, 4), "ABC"),
    ("Noël", date(2024, 12, 21), date(2025, 1, 6), "ABC"),
    ("Hiver", date(2025, 2, 22), date(2025, 3, 10), "A"),
    ("Hiver", date(2025, 2, 8), date(2025, 2, 24), "B"),
    ("Hiver", date(2025, 2, 15), date(2025, 3, 3), "C"),
    ("Printemps", date(2025, 4, 19), date(2025, 5, 5), "A"),
    ("Printemps", date(2025, 4, 5), date(2025, 4, 22), "B"),
    ("Printemps", date(2025, 4, 12), date(2025, 4, 28), "C"),
    ("Pont de l'Ascension", date(2025, 5, 29), date(2025, 6, 2), "ABC"),
    ("Été", date(2025, 7, 5), date(2025, 9, 1), "ABC"),
    ("Toussaint", date(2025, 10, 18), date(2025, 11, 3), "ABC"),
    ("Noël", date(2025, 12, 20), date(2026, 1, 5), "ABC"),
    ("Hiver", date(2026, 2, 7), date(2026, 2, 23), "A"),
    ("Hiver", date(2026, 2, 14), date(2026, 3, 2), "B"),
    ("Hiver", date(2026, 2, 21), date(2026, 3, 9), "C"),
    ("Printemps", date(2026, 4, 4), date(2026, 4, 20), "A"),
    ("Printemps", date(2026, 4, 11), date(2026, 4, 27), "B"),
    ("Printemps", date(2026, 4, 18), date(2026, 5, 4), "C"),
    ("Pont de l'Ascension", date(2026, 5, 14), date(2026, 5, 18), "ABC"),
    ("Été", date(2026, 7, 4), date(2026, 9, 1), "ABC"),
    ("Toussaint", date(2026, 10, 17), date(2026, 11, 2), "ABC"),
    ("Noël", date(2026, 12, 19), date(2027, 1, 4), "ABC"),
)
CITY_ZONE = "B"

# Covid in Arras (Pas-de-Calais): (first day, last day, level against a normal day, curfew hour or None).
COVID = (
    (date(2020, 3, 14), date(2020, 3, 16), 0.70, None),  # bars and restaurants closed
    (date(2020, 3, 17), date(2020, 5, 10), 0.27, None),  # first lockdown
    (date(2020, 5, 11), date(2020, 6, 1), 0.70, None),  # shops reopen, bars still closed
    (date(2020, 6, 2), date(2020, 6, 21), 0.80, None),
    (date(2020, 6, 22), date(2020, 10, 23), 0.93, None),
    (date(2020, 10, 24), date(2020, 10, 29), 0.82, 21),  # curfew in the Pas-de-Calais
    (date(2020, 10, 30), date(2020, 11, 27), 0.45, None),  # second lockdown
    (date(2020, 11, 28), date(2020, 12, 14), 0.82, None),  # shops reopen, lockdown until 15 December
    (date(2020, 12, 15), date(2021, 1, 15), 0.88, 20),
    (date(2021, 1, 16), date(2021, 3, 5), 0.85, 18),
    (date(2021, 3, 6), date(2021, 3, 7), 0.35, 18),  # weekend lockdown in the Pas-de-Calais
    (date(2021, 3, 8), date(2021, 3, 12), 0.82, 18),
    (date(2021, 3, 13), date(2021, 3, 14), 0.35, 18),
    (date(2021, 3, 15), date(2021, 3, 19), 0.82, 18),
    (date(2021, 3, 20), date(2021, 4, 2), 0.50, 19),  # non-essential shops closed in the Pas-de-Calais
    (date(2021, 4, 3), date(2021, 5, 2), 0.40, 19),  # national lockdown
    (date(2021, 5, 3), date(2021, 5, 18), 0.50, 19),
    (date(2021, 5, 19), date(2021, 6, 8), 0.80, 21),  # shops and terraces reopen
    (date(2021, 6, 9), date(2021, 6, 19), 0.85, 23),
)
MARKETS_SUSPENDED = (date(2020, 3, 17), date(2020, 5, 10))
CHRISTMAS_MARKET_CANCELLED = {2020}
# Level against pre-Covid after the last curfew (assumption): (day, level), linear in between, flat after.
RECOVERY = ((date(2021, 6, 20), 0.86), (date(2021, 12, 31), 0.90), (date(2022, 12, 31), 0.95),
            (date(2023, 12, 31), 0.97), (date(2024, 12, 31), 0.98), (date(2025, 12, 31), 0.99))

MARKET_HOURS = {7: 1.3, 8: 1.8, 9: 2.2, 10: 2.4, 11: 2.4, 12: 1.8, 13: 1.2}  # Saturday, at a market point
WEDNESDAY_MARKET = 0.6  # the Wednesday market against Saturday's
CHRISTMAS_HOURS = {11: 1.5, 12: 1.6, 13: 1.6, 14: 2.2, 15: 2.5, 16: 2.8, 17: 3.2, 18: 3.6, 19: 3.6, 20: 3.0}
CHRISTMAS_LATE = {21: 2.6, 22: 1.5}  # Friday and Saturday evenings
CURFEW_LEVEL = 0.15  # of the usual count, from the curfew hour to 6 h
NOISE = {"city": 0.07, "site": 0.05, "hour": 0.12}  # log-normal sigmas


# --- periods --------------------------------------------------------------------------------------

Period = range | tuple[date, date]


def period_bounds(period: Period) -> tuple[date, date]:
    """First and last day: a range of years (Jan 1 to Dec 31) or (first day, last day)."""
    if isinstance(period, range):
        return date(period[0], 1, 1), date(period[-1], 12, 31)
    first, last = period
    if last < first:
        raise ValueError("the period ends before it starts")
    return first, last


def last_months(months: int = 13, until: date = date(2025, 12, 31)) -> tuple[date, date]:
    """The `months` whole months ending with `until`'s month (the embedded default: the last 13)."""
    year, month = until.year, until.month - months + 1
    while month < 1:
        year, month = year - 1, month + 12
    following = date(until.year + (until.month == 12), until.month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


DEMO_YEARS = range(2021, 2026)
DEMO_SHORT = last_months(13, date(2025, 12, 31))


# --- the model ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Timeline:
    first: date
    days: pd.DatetimeIndex  # local days
    labels: np.ndarray  # T + 1 local datetimes with their offset: hour starts, then the last end
    day: np.ndarray  # (T,) index of each hour's local day
    hour: np.ndarray  # (T,) local hour


def _timeline(first: date, last: date) -> _Timeline:
    start = pd.Timestamp(first).tz_localize(TZ).tz_convert("UTC")
    stop = pd.Timestamp(last + timedelta(days=1)).tz_localize(TZ).tz_convert("UTC")
    instants = pd.date_range(start, stop, freq="h")  # both ends: hour starts and the last hour's end
    local = instants.tz_convert(TZ).tz_localize(None)
    offset = ((local - instants.tz_localize(None)) // pd.Timedelta(minutes=1)).to_numpy()
    sign = np.where(offset < 0, "-", "+")
    hours = (np.abs(offset) // 60).astype(str)
    suffix = np.char.add(sign, np.char.zfill(hours, 2))
    labels = np.char.add(local.strftime("%Y-%m-%dT%H:%M:%S").to_numpy().astype(str), suffix)
    day = ((local.normalize() - pd.Timestamp(first)) // pd.Timedelta(days=1)).to_numpy()[:-1]
    return _Timeline(first, pd.date_range(first, last, freq="D"), labels, day, local.hour.to_numpy()[:-1])


def _in_ranges(days: pd.DatetimeIndex, ranges) -> np.ndarray:
    """Per day, the index of the (first, last) range holding it, or -1."""
    out = np.full(len(days), -1)
    values = days.to_numpy()
    for i, (first, last, *_) in enumerate(ranges):
        out[(values >= np.datetime64(first)) & (values <= np.datetime64(last))] = i
    return out


def school_holidays(days: pd.DatetimeIndex, zone: str) -> np.ndarray:
    """Per day, the school holiday's name in that zone, or ""."""
    out = np.full(len(days), "", dtype=object)
    values = days.to_numpy()
    for name, first, back, zones in SCHOOL_HOLIDAYS:
        if zone in zones:
            out[(values >= np.datetime64(first)) & (values < np.datetime64(back))] = name
    return out


def _holidays(days: pd.DatetimeIndex) -> np.ndarray:
    found = set()
    for year in range(days[0].year, days[-1].year + 1):
        found |= set(public_holidays(year))
    return np.isin(days.date, sorted(found))


def _sales(days: pd.DatetimeIndex) -> np.ndarray:
    """Per day, the sales' day number (1 = first day), or 0."""
    out = np.zeros(len(days), dtype=int)
    values = days.to_numpy()
    for year in range(days[0].year, days[-1].year + 1):
        weeks = 6 if year < 2020 else 4
        for season in ("winter", "summer"):
            first = np.datetime64(sales_start(year, season))
            inside = (values >= first) & (values < first + np.timedelta64(7 * weeks, "D"))
            out[inside] = ((values[inside] - first) // np.timedelta64(1, "D")) + 1
    return out


def _christmas_market(days: pd.DatetimeIndex) -> np.ndarray:
    out = np.zeros(len(days), dtype=bool)
    for year in range(days[0].year, days[-1].year + 1):
        if year in CHRISTMAS_MARKET_CANCELLED:
            continue
        opening, closing = christmas_market(year)
        out |= (days.date >= opening) & (days.date <= closing) & (days.date != date(year, 12, 25))
    return out


def _covid(days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per day, the level against pre-Covid and the curfew hour (24: none)."""
    level = np.ones(len(days))
    curfew = np.full(len(days), 24)
    which = _in_ranges(days, COVID)
    for i, (_, _, factor, hour) in enumerate(COVID):
        level[which == i] = factor
        curfew[which == i] = hour or 24
    anchors = np.array([np.datetime64(d) for d, _ in RECOVERY]).astype("datetime64[D]").astype(float)
    after = days.to_numpy().astype("datetime64[D]") >= np.datetime64(RECOVERY[0][0])
    x = days.to_numpy().astype("datetime64[D]").astype(float)[after]
    level[after] = np.interp(x, anchors, [v for _, v in RECOVERY])
    return level, curfew


def _by_hour(multipliers: dict[int, float]) -> np.ndarray:
    return np.array([multipliers.get(h, 1.0) for h in range(24)])


@dataclass(frozen=True)
class _Model:
    timeline: _Timeline
    sites: tuple[Site, ...]
    site_lambda: np.ndarray  # (T, S) expected passages
    channel_site: np.ndarray  # (C,) site index of each channel
    channel_share: np.ndarray  # (T, C) share of the site's passages on the channel


def _levels(seed: int) -> tuple[np.ndarray, list[float]]:
    """Each point's own level around its weight, and each two-way street's share of its first direction."""
    rng = random.Random(seed)
    levels = np.array([s.weight * rng.uniform(0.9, 1.1) for s in SITES])
    shares = [rng.uniform(0.45, 0.55) for _ in SITES]
    return levels, shares


def _expected(first: date, last: date, seed: int) -> _Model:
    t = _timeline(first, last)
    days = t.days
    dow = days.day_of_week.to_numpy()
    holiday = _holidays(days)
    day_type = np.where(holiday, 6, dow)
    month, dom = days.month.to_numpy(), days.day.to_numpy()
    school = school_holidays(days, CITY_ZONE)
    summer = school == "Été"
    short_break = (school != "") & ~summer
    sales = _sales(days)
    christmas = _christmas_market(days)
    covid, curfew = _covid(days)
    doy = days.day_of_year.to_numpy()
    weather = 1 + 0.05 * np.cos(2 * np.pi * (doy - 196) / 365.25)
    december = np.ones(len(days))
    before = (month == 12) & (dom <= 23)
    december[before] = CHRISTMAS_RAMP[0] + (CHRISTMAS_RAMP[1] - CHRISTMAS_RAMP[0]) * (dom[before] - 1) / 22
    december[(month == 12) & (dom == 24)] = 1.15
    december[(month == 12) & (dom >= 26)] = 0.95
    closed = np.zeros(len(days), dtype=bool)
    for m, d in CLOSED_DAYS:
        closed |= (month == m) & (dom == d)
    market_day = np.where(holiday, 0.0, np.where(dow == 5, 1.0, np.where(dow == 2, WEDNESDAY_MARKET, 0.0)))
    values = days.to_numpy()
    market_day[(values >= np.datetime64(MARKETS_SUSPENDED[0])) & (values <= np.datetime64(MARKETS_SUSPENDED[1]))] = 0

    levels, shares = _levels(seed)
    n_days, n_sites = len(days), len(SITES)
    daily = np.empty((n_days, n_sites))
    for j, site in enumerate(SITES):
        station = site.kind == "station"
        index = np.array(DAY_INDEX["station" if station else "shopping"])[day_type]
        f = index * covid * np.where(closed, 0.7, 1.0)
        if station:
            f = f * np.where(summer, 0.75, np.where(short_break, 0.85, 1.0))
        else:
            f = f * weather * december
            weekday = dow < 5
            if site.kind == "square":
                f = f * np.where((month == 7) | (month == 8), 1.2, 1.0)
                f = f * np.where(((month >= 4) & (month <= 6) | (month == 9)) & (dow >= 5), 1.1, 1.0)
            else:
                f = f * np.where(summer, 0.88, 1.0)
            f = f * np.where(short_break & weekday, 1.04, 1.0)
            boost = np.where(sales == 0, 1.0, np.where(sales <= 7, 1.15, 1.06))
            f = f * (boost if site.kind == "shopping" else 1 + (boost - 1) / 2)
        daily[:, j] = levels[j] * f

    hour, day = t.hour, t.day
    lam = daily[day]
    for j, site in enumerate(SITES):
        profile = PROFILES["station" if site.kind == "station" else "shopping"]
        lam[:, j] *= profile[day_type[day], hour]
    monday_morning = (dow[day] == 0) & ~holiday[day] & (hour < 14)
    kinds = np.array([s.kind for s in SITES])
    lam[np.ix_(monday_morning, kinds != "station")] *= MONDAY_MORNING
    eve = ((month[day] == 12) & ((dom[day] == 24) | (dom[day] == 31))) & (hour >= 18)
    lam[eve] *= 0.5
    market = np.array([s.market for s in SITES])
    boost = _by_hour(MARKET_HOURS)[hour]
    lam *= 1 + np.outer(market_day[day] * (boost - 1), market)
    xmas = np.array([s.christmas for s in SITES])
    late = (dow[day] == 4) | (dow[day] == 5)
    cboost = np.where(late, _by_hour(CHRISTMAS_HOURS | CHRISTMAS_LATE)[hour], _by_hour(CHRISTMAS_HOURS)[hour])
    lam *= 1 + np.outer(christmas[day] * (cboost - 1), xmas)
    lam[(hour >= curfew[day]) | ((curfew[day] < 24) & (hour < 6))] *= CURFEW_LEVEL

    channel_site, share_columns = [], []
    for j, site in enumerate(SITES):
        n = max(len(site.directions), 1)
        if n == 1:
            channel_site.append(j)
            share_columns.append(np.ones(len(hour)))
            continue
        first_share = np.full(len(hour), shares[j])
        if site.kind == "station":  # towards the station in the evening, towards the centre in the morning
            first_share = np.where(hour < 12, 0.35, 0.62)
        channel_site += [j, j]
        share_columns += [first_share, 1 - first_share]
    return _Model(t, SITES, lam, np.array(channel_site), np.column_stack(share_columns))


@cache
def _scale(seed: int) -> float:
    """Passages per model unit: January-February 2020 at the pre-Covid level of the published figures."""
    model = _expected(date(2020, 1, 1), date(2020, 2, 29), seed)
    return PRE_COVID_MONTHLY * 2 / model.site_lambda.sum()


def _counts(first: date, last: date, seed: int) -> tuple[_Model, np.ndarray]:
    """The model and the (T, C) hourly counts: each day from its own generator, seeded by (seed, day)."""
    model = _expected(first, last, seed)
    lam = model.site_lambda[:, model.channel_site] * model.channel_share * _scale(seed)
    t = model.timeline
    counts = np.empty(lam.shape, dtype=np.int64)
    bounds = np.searchsorted(t.day, np.arange(len(t.days) + 1))
    n_sites, n_channels = len(model.sites), lam.shape[1]
    s = NOISE
    for i, day in enumerate(t.days):
        rng = np.random.default_rng([seed, day.toordinal()])
        city = rng.lognormal(-s["city"] ** 2 / 2, s["city"])
        site = rng.lognormal(-s["site"] ** 2 / 2, s["site"], n_sites)[model.channel_site]
        hourly = rng.lognormal(-s["hour"] ** 2 / 2, s["hour"], (25, n_channels))
        a, b = bounds[i], bounds[i + 1]
        counts[a:b] = rng.poisson(lam[a:b] * city * site * hourly[: b - a])
    return model, counts


# --- the files: comptage des mobilités ------------------------------------------------------------

def counters(period: Period = DEMO_YEARS, seed: int = 62041) -> dict[str, bytes]:
    """The three files of the national counting schema, {"sites", "channels", "measures"}: the same bytes
    for the same arguments. Measures are hourly, ordered by time then channel, as in Etalab's example."""
    first, last = period_bounds(period)
    model, counts = _counts(first, last, seed)
    return {"sites": sites_file(), "channels": channels_file(first, last), "measures": _measures(model, counts)}


def sites_file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SITE_COLUMNS)
    for site in SITES:
        writer.writerow([site_id(site), "", site.name, COMMUNE, f"{site.lon:.6f}", f"{site.lat:.6f}", "",
                         site.infrastructure])
    return out.getvalue().encode("utf-8")


def channels_file(first: date, last: date) -> bytes:
    timeline = _timeline(first, first)
    started = timeline.labels[0]
    updated = _timeline(last, last).labels[-1]  # the end of the last hour counted
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHANNEL_COLUMNS)
    for site in SITES:
        ways = site.directions or (("", ""),)
        for channel, (direction, towards) in zip(channel_ids(site), ways):
            code = ("IN" if channel.endswith("-1") else "OUT") if direction else "INDISTINCT"
            name = f"{site.name} piétons {towards}" if towards else f"{site.name} piétons, deux sens"
            writer.writerow([channel, "", "", site_id(site), "PEDESTRIAN", DEMO_COMMENT, "REMOTE TRANSMISSION", "API",
                             "PASSIVE INFRARED", direction, code, name, DATA_PROVIDER, "PERMANENT", started, "",
                             updated, "3600", ""])
    return out.getvalue().encode("utf-8")


def _measures(model: _Model, counts: np.ndarray) -> bytes:
    prefixes = []
    for site in model.sites:
        prefixes += [f"{channel},DEMO-{site.code}," for channel in channel_ids(site)]
    labels = model.timeline.labels.tolist()
    chunks = [(",".join(MEASURE_COLUMNS) + "\n").encode("utf-8")]
    for t, row in enumerate(counts.tolist()):  # one chunk an hour: five years are 1.4 million rows
        span = f"{labels[t]},{labels[t + 1]},"
        chunks.append("".join([f"{p}{span}{c}\n" for p, c in zip(prefixes, row)]).encode("utf-8"))
    return b"".join(chunks)


# --- the file: Orange Flux Vision presence --------------------------------------------------------

WEEKDAYS_FR = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
# Residents present in a zone on an ordinary day, and visitors (excursionists and tourists) per passage
# counted at the zone's points: assumptions for the demo.
RESIDENTS = {"Grand-Place": 450, "Place des Héros": 380, "Rues commerçantes": 1400, "Gare": 900}
VISITORS_PER_PASSAGE = 0.45
TOURIST_SHARE = 0.07  # of visitors on an ordinary day
# Origin shares by category: Local (the zone's département), NonLocal (the rest of France), Etranger.
PROVENANCE = {"Excursionniste": (0.72, 0.25, 0.03), "Touriste": (0.08, 0.62, 0.30)}
DEPARTEMENTS = (  # (code, name, weight among excursionists, weight among tourists), NonLocal only
    ("59", "Nord", 45, 18), ("80", "Somme", 12, 5), ("60", "Oise", 5, 4), ("02", "Aisne", 5, 3),
    ("75", "Paris", 6, 16), ("92", "Hauts-de-Seine", 3, 8), ("93", "Seine-Saint-Denis", 2, 4),
    ("94", "Val-de-Marne", 2, 4), ("78", "Yvelines", 2, 5), ("76", "Seine-Maritime", 3, 5), ("51", "Marne", 2, 3),
    ("69", "Rhône", 1, 4), ("33", "Gironde", 1, 3), ("44", "Loire-Atlantique", 1, 3),
)
COUNTRIES = (  # (name, weight among excursionists, weight among tourists), Etranger only
    ("Belgique", 45, 25), ("Royaume-Uni", 20, 35), ("Pays-Bas", 12, 12), ("Allemagne", 8, 8),
    ("Australie", 2, 6), ("Canada", 2, 5), ("États-Unis", 3, 4), ("Nouvelle-Zélande", 1, 3),
)
LOCAL_DEPARTEMENT = ("62", "Pas-de-Calais")


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


def _origins(provenance: str, category: str, volume: float, rng: np.random.Generator, detailed: bool,
             weights: list[tuple[tuple[str, str, str], int]]) -> list[tuple[str, str, float, tuple[str, ...]]]:
    if not detailed:
        return [(provenance, category, volume, ("", "", ""))]
    w = np.array([x for _, x in weights], dtype=float) * rng.lognormal(-0.15 ** 2 / 2, 0.15, len(weights))
    return [(provenance, category, volume * share, origin) for (origin, _), share in zip(weights, w / w.sum())]


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
