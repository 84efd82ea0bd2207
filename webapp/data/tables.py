"""The curated SQL store: SQLAlchemy Core tables. Alembic migrations mirror this file."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per dataset: what it is, who produced it, under which licence, and its current version.
dataset = Table(
    "dataset",
    metadata,
    Column("slug", String(80), primary_key=True),
    Column("title_fr", String(200), nullable=False),
    Column("title_en", String(200), nullable=False),
    Column("description_fr", Text, nullable=False),
    Column("description_en", Text, nullable=False),
    Column("theme", String(40), nullable=False),
    Column("producer", String(200), nullable=False),
    Column("licence", String(120), nullable=False),
    Column("licence_url", String(300), nullable=False),
    Column("source_url", String(500), nullable=False),
    Column("frequency", String(40), nullable=False),  # EU "frequency" vocabulary, e.g. ANNUAL
    Column("coverage", String(80), nullable=False),  # temporal coverage as shown, e.g. "2016-2021"
    Column("last_update", Date, nullable=False),  # the producer's last update of the source
    Column("version", Integer, nullable=False, default=0),
    Column("is_demo", Boolean, nullable=False, default=False),
)

# One row per published version of a dataset (a revision log; rollback arrives with the editor).
dataset_version = Table(
    "dataset_version",
    metadata,
    Column("dataset_slug", String(80), ForeignKey("dataset.slug"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("published_by", String(200), nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
)

iris = Table(
    "iris",
    metadata,
    Column("code", String(9), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("commune_code", String(5), nullable=False, index=True),
    Column("geometry", Text, nullable=False),  # GeoJSON geometry, WGS84
)

# Schools of the département (the comparisons need all of them), with what is known of each.
school = Table(
    "school",
    metadata,
    Column("uai", String(8), primary_key=True),  # national school identifier
    Column("name", String(200), nullable=False),
    Column("level", String(10), nullable=False, index=True),  # ecole | college | lycee
    Column("sector", String(10), nullable=False),  # public | prive
    Column("commune_code", String(5), nullable=False, index=True),
    Column("commune_name", String(120), nullable=False),
    Column("lycee_type", String(10)),  # LEGT | LPO | LP
    Column("priority_education", String(10)),  # REP | REP+ | hors REP; NULL when unknown
    Column("latitude", Float),
    Column("longitude", Float),
    Column("iris_code", String(9)),
)

# Social position index (IPS) per school and school year (year = the rentrée, 2021 for 2021-2022).
school_ips = Table(
    "school_ips",
    metadata,
    Column("uai", String(8), ForeignKey("school.uai"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("ips", Float, nullable=False),
)

# Pupils per school, year and grade (6e … 3e in collèges, 2de, 1re, Tle in lycées).
school_enrolment = Table(
    "school_enrolment",
    metadata,
    Column("uai", String(8), ForeignKey("school.uai"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("grade", String(8), primary_key=True),
    Column("pupils", Integer, nullable=False),
)

# Diplôme national du brevet (DNB), general track, per collège and session.
school_dnb = Table(
    "school_dnb",
    metadata,
    Column("uai", String(8), ForeignKey("school.uai"), primary_key=True),
    Column("session", Integer, primary_key=True),
    Column("candidates", Integer, nullable=False),
    Column("success_rate", Float, nullable=False),  # percent
    Column("value_added", Float),  # points against the expected rate, when published
)
