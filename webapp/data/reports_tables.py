"""The citizen reports story's curated tables: reports per month, resolution times and shares, counts per IRIS."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, String, Table

from webapp.data.metadata import build_column, metadata

# Reports made, closed (resolved or rejected) and rejected per month and category.
reports_monthly = Table(
    "reports_monthly",
    metadata,
    build_column(),
    Column("month", String(7), primary_key=True),  # YYYY-MM
    Column("category", String(40), primary_key=True),
    Column("created", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
)

# Reports resolved per month of closing and category, and their median days from creation to closing
# (NULL from fewer resolved reports than the dataset's minimum count).
reports_resolution = Table(
    "reports_resolution",
    metadata,
    build_column(),
    Column("month", String(7), primary_key=True),
    Column("category", String(40), primary_key=True),  # "" for every category
    Column("resolved", Integer, nullable=False),
    Column("median_days", Float),
)

# The same per span of years of closing (every pair of years of the file): a period's median.
reports_resolution_span = Table(
    "reports_resolution_span",
    metadata,
    build_column(),
    Column("year_from", Integer, primary_key=True),
    Column("year_to", Integer, primary_key=True),
    Column("category", String(40), primary_key=True),  # "" for every category
    Column("resolved", Integer, nullable=False),
    Column("median_days", Float),
)

# Per month of creation and category: reports not rejected, and those resolved within 7 and 30 days
# (NULL while the window is not over at the export's date).
reports_speed = Table(
    "reports_speed",
    metadata,
    build_column(),
    Column("month", String(7), primary_key=True),
    Column("category", String(40), primary_key=True),
    Column("reports", Integer, nullable=False),
    Column("within_7", Integer),
    Column("within_30", Integer),
)

# Reports per year of creation, IRIS and category; counts below the dataset's minimum are summed
# into "autres" when the build is made (and left out if still below it): no small count is stored.
reports_iris = Table(
    "reports_iris",
    metadata,
    build_column(),
    Column("year", Integer, primary_key=True),
    Column("iris_code", String(9), primary_key=True),
    Column("category", String(40), primary_key=True),  # a category, or "autres" for the grouped ones
    Column("reports", Integer, nullable=False),
)
