"""The footfall story's curated tables: counting points, passages per day and hour, Flux Vision visitors and origins."""

from __future__ import annotations

from sqlalchemy import Column, Date, Float, Integer, String, Table

from webapp.data.metadata import build_column, metadata

# The counting points (sites of the national "comptage des mobilités" schema with a pedestrian channel).
footfall_point = Table(
    "footfall_point",
    metadata,
    build_column(),
    Column("site_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("commune_code", String(5)),
    Column("longitude", Float),
    Column("latitude", Float),
)

# Passages per day, per point and for all points together (site_id ""), with what the daily chart
# draws beside them: the 7-day average and the same weekday 52 weeks earlier. NULL: no count.
footfall_daily = Table(
    "footfall_daily",
    metadata,
    build_column(),
    Column("site_id", String(40), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("passages", Float),
    Column("avg7", Float),
    Column("last_year", Float),
)

# Passages per month, weekday and hour (and the days counted), per point and for all points: the
# heatmap and the map sum the months of a chosen period.
footfall_hourly = Table(
    "footfall_hourly",
    metadata,
    build_column(),
    Column("site_id", String(40), primary_key=True),
    Column("month", String(7), primary_key=True),  # YYYY-MM
    Column("weekday", Integer, primary_key=True),  # 0 = Monday
    Column("hour", Integer, primary_key=True),
    Column("passages", Float, nullable=False),
    Column("days", Integer, nullable=False),
)

# Flux Vision presence per zone, day and visitor category.
footfall_visitors = Table(
    "footfall_visitors",
    metadata,
    build_column(),
    Column("zone", String(120), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("category", String(16), primary_key=True),  # resident | excursionist | tourist
    Column("month", String(7), nullable=False),  # YYYY-MM of the day: the charts sum months
    Column("volume", Float),  # NULL where Orange suppressed it
)

# Flux Vision visitors by origin per zone and month; origins below the dataset's minimum count are
# summed into "autres" when the build is made, so no small count is ever stored.
footfall_origin = Table(
    "footfall_origin",
    metadata,
    build_column(),
    Column("zone", String(120), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("level", String(12), primary_key=True),  # department | region | country
    Column("origin", String(120), primary_key=True),  # code or name as published; "autres" for the grouped
    Column("volume", Float, nullable=False),
)

# --- the commerce observatory ----------------------------------------------------------------------
# Rollups of the shop inventory at each year-end (the state a survey would have seen on 31 December).
# Perimeters (the hypercentre, the rest of the town) are sums of IRIS rows, chosen when reading.
