"""The housing story's curated tables: median prices, the département's references, the housing stock and incomes."""

from __future__ import annotations

from sqlalchemy import Column, Date, Float, Integer, String, Table

from webapp.data.metadata import build_column, metadata

# Sales and median price per m² for every span of years [year_from, year_to] of the sales file, for
# the whole town (iris_code "") and each of its IRIS, per dwelling type ("tous" for both).
housing_price = Table(
    "housing_price",
    metadata,
    build_column(),
    Column("commune_code", String(5), primary_key=True),
    Column("iris_code", String(9), primary_key=True),  # "" for the whole commune
    Column("dwelling_type", String(12), primary_key=True),  # appartement | maison | tous
    Column("year_from", Integer, primary_key=True),
    Column("year_to", Integer, primary_key=True),
    Column("sales", Integer, nullable=False),  # sales kept by the DVF rules
    Column("priced", Integer, nullable=False),  # of which not set aside as outliers
    Column("median_price_m2", Float),  # NULL below the minimum number of sales
    Column("q1_price_m2", Float),
    Column("q3_price_m2", Float),
)

# The département's published quarterly medians (the reference line of the price chart).
housing_reference = Table(
    "housing_reference",
    metadata,
    build_column(),
    Column("department", String(3), primary_key=True),
    Column("quarter_start", Date, primary_key=True),
    Column("dwelling_type", String(12), primary_key=True),  # appartement | maison | tous
    Column("median_price_m2", Float, nullable=False),
    Column("sales", Integer, nullable=False),
)

# Census dwellings per IRIS (INSEE's weighted counts, as published).
housing_stock = Table(
    "housing_stock",
    metadata,
    build_column(),
    Column("iris_code", String(9), primary_key=True),
    Column("commune_code", String(5), nullable=False),
    Column("year", Integer, nullable=False),
    *(Column(name, Float) for name in ("dwellings", "main_homes", "second_homes", "vacant", "houses", "flats",
                                       "owners", "tenants", "social_tenants")),
)

# Filosofi declared income per consumption unit, per IRIS (NULL where INSEE does not publish it).
housing_income = Table(
    "housing_income",
    metadata,
    build_column(),
    Column("iris_code", String(9), primary_key=True),
    Column("commune_code", String(5), nullable=False),
    Column("year", Integer, nullable=False),
    *(Column(name, Float) for name in ("median_income", "income_q1", "income_q3", "low_income_rate",
                                       "taxed_share", "gini")),
)


# --- the footfall story ---------------------------------------------------------------------------
# Rollups computed once per build from the hourly counts, never per request over the raw rows.
