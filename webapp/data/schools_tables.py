"""The schools story's curated tables: schools, their IPS, enrolments, brevet results and the département's references."""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, String, Table

from webapp.data.metadata import build_column, metadata

# Schools of the département (the comparisons need all of them), with what is known of each.
school = Table(
    "school",
    metadata,
    build_column(),
    Column("uai", String(8), primary_key=True),  # national school identifier
    Column("name", String(200), nullable=False),
    Column("level", String(10), nullable=False, index=True),  # ecole | college | lycee
    Column("sector", String(10), nullable=False),  # public | prive
    Column("commune_code", String(5), nullable=False),
    Column("commune_name", String(120), nullable=False),
    Column("lycee_type", String(10)),  # LEGT | LPO | LP
    Column("priority_education", String(10)),  # REP | REP+ | hors REP; NULL when unknown
    Column("latitude", Float),
    Column("longitude", Float),
    Column("iris_code", String(9)),
    Column("iris_name", String(120)),  # the quartier's name, from the outlines the build read
    Index("ix_school_build_id_commune_code", "build_id", "commune_code"),
)

# Social position index (IPS) per school and school year (year = the rentrée, 2021 for 2021-2022).
school_ips = Table(
    "school_ips",
    metadata,
    build_column(),
    Column("uai", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("ips", Float, nullable=False),
)

# Pupils per school, year and grade (6e … 3e in collèges, 2de, 1re, Tle in lycées).
school_enrolment = Table(
    "school_enrolment",
    metadata,
    build_column(),
    Column("uai", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("grade", String(8), primary_key=True),
    Column("pupils", Integer, nullable=False),
)

# Diplôme national du brevet (DNB), general track, per collège and session.
school_dnb = Table(
    "school_dnb",
    metadata,
    build_column(),
    Column("uai", String(8), primary_key=True),
    Column("session", Integer, primary_key=True),
    Column("candidates", Integer, nullable=False),
    Column("success_rate", Float, nullable=False),  # percent
    Column("value_added", Float),  # points against the expected rate, when published
)

# The département averages the charts compare with, computed once per build (at staging or
# publishing), never per request over every school of the département.
school_ips_reference = Table(
    "school_ips_reference",
    metadata,
    build_column(),
    Column("department", String(3), primary_key=True),
    Column("level", String(10), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("ips", Float, nullable=False),  # plain mean of the schools' IPS
    Column("schools", Integer, nullable=False),
)

school_dnb_reference = Table(
    "school_dnb_reference",
    metadata,
    build_column(),
    Column("department", String(3), primary_key=True),
    Column("session", Integer, primary_key=True),
    Column("candidates", Integer, nullable=False),
    Column("success_rate", Float, nullable=False),  # weighted by candidates
)


# --- the housing story --------------------------------------------------------------------------
# Computed once per build from the DVF sales, never per request over the sales: the story's
# filters (dwelling type, a span of years, a quartier) each pick rows of these tables.
