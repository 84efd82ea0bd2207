"""The three files of the national "comptage des mobilités" schema written from the demo model: the
sites, the channels and the hourly measures (`,`, UTF-8, local datetimes with their offset)."""

from __future__ import annotations

import csv
import io
from datetime import date

import numpy as np

from webapp.demo.footfall_model import _Model, _timeline
from webapp.demo.footfall_sites import SITES, channel_ids, site_id

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


# --- the files: comptage des mobilités ------------------------------------------------------------

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
