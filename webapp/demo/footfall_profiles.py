"""Hour-of-day x weekday profiles and daily levels of the demo footfall: the City of Melbourne's
measured shapes (shopping street, railway station) and the levels assumed for Arras (Saturday, Monday
mornings, the station at weekends, the Christmas ramp, days with shops closed)."""

from __future__ import annotations

import numpy as np

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
