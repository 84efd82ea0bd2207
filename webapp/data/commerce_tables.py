"""The commerce observatory's curated tables: units at each year-end, stock and flows, activity mix, Sirene."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Integer, String, Table

from webapp.data.metadata import build_column, metadata

# Each unit's state at each year-end: the map and the streets' table read one year.
commerce_unit = Table(
    "commerce_unit",
    metadata,
    build_column(),
    Column("year", Integer, primary_key=True),
    Column("unit_id", String(40), primary_key=True),
    Column("vacant", Boolean, nullable=False),
    Column("street_number", String(20)),
    Column("street", String(200), nullable=False),
    Column("iris_code", String(9), nullable=False),
    Column("longitude", Float),
    Column("latitude", Float),
    Column("category", String(40)),  # NULL for a vacant unit
    Column("independent", Boolean),  # NULL for a vacant unit
    Column("name", String(200)),
)

# Units and vacant units at the year-end, openings and closures in the year, per IRIS.
commerce_stock = Table(
    "commerce_stock",
    metadata,
    build_column(),
    Column("year", Integer, primary_key=True),
    Column("iris_code", String(9), primary_key=True),
    Column("units", Integer, nullable=False),
    Column("vacant", Integer, nullable=False),
    Column("openings", Integer, nullable=False),
    Column("closures", Integer, nullable=False),
)

# Businesses open at the year-end per IRIS and activity, and the independent ones among them.
commerce_mix = Table(
    "commerce_mix",
    metadata,
    build_column(),
    Column("year", Integer, primary_key=True),
    Column("iris_code", String(9), primary_key=True),
    Column("category", String(40), primary_key=True),
    Column("businesses", Integer, nullable=False),
    Column("independents", Integer, nullable=False),
)

# Units within 150 m of each counting point at each year-end: vacancy where the passages are counted.
commerce_point = Table(
    "commerce_point",
    metadata,
    build_column(),
    Column("site_id", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("units", Integer, nullable=False),
    Column("vacant", Integer, nullable=False),
)

# Sirene establishments of the observatory's activities: created and closed in each year, open at its end.
commerce_sirene = Table(
    "commerce_sirene",
    metadata,
    build_column(),
    Column("year", Integer, primary_key=True),
    Column("category", String(40), primary_key=True),
    Column("created", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("active", Integer, nullable=False),
)

# --- citizen reports ("signalements") ---------------------------------------------------------------
# Rollups of the reporting app's export, made when it is published; the export's free text and
# personal columns are never stored (see `webapp.data.importers.reports`). `category` "" counts
# every category where a figure cannot be summed (a median).
