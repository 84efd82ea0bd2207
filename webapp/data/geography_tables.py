"""The geography group's curated table: the IRIS outlines every map reads."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Text

from webapp.data.metadata import build_column, metadata

iris = Table(
    "iris",
    metadata,
    build_column(),
    Column("code", String(9), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("commune_code", String(5), nullable=False, index=True),
    Column("geometry", Text, nullable=False),  # GeoJSON geometry, WGS84
)
