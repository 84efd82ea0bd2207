"""The store's core tables (datasets, versions, builds, accounts, texts, audit).

Each story's curated tables live in `webapp/data/<story>_tables.py` and join the same `metadata` when
this module is imported. Alembic migrations mirror them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from webapp.data.metadata import metadata

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
    Column("version", Integer, nullable=False, default=0),  # the version readers are served
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("min_count", Integer),  # aggregates counting fewer are suppressed or grouped; NULL: none
)

# Every version of a dataset ever staged: staged (previewable), published (kept for rollback and
# pinned widgets) or discarded. `dataset.version` points at the one served.
dataset_version = Table(
    "dataset_version",
    metadata,
    Column("dataset_slug", String(80), ForeignKey("dataset.slug"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(12), nullable=False),  # staged | published | discarded
    Column("staged_at", DateTime(timezone=True), nullable=False),
    Column("staged_by", String(200), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("published_by", String(200)),
    Column("file_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("coverage", String(80)),  # period covered: the schema's temporal field, or the catalogue's wording
    Column("source_date", Date),  # the producer's date of the file (the upload's day when not known)
    Column("changes", Text),  # JSON: rows added, removed, changed against the version then served
    Column("note", Text, nullable=False, default=""),
    Column("is_demo", Boolean),  # a demo file (shipped until the real one is imported); NULL: no
)

# The file each version was imported from, byte for byte (rebuilds, downloads of past versions).
dataset_file = Table(
    "dataset_file",
    metadata,
    Column("dataset_slug", String(80), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("content", LargeBinary, nullable=False),
)

# A build: the curated tables of one story group computed from one set of dataset versions.
# Curated rows carry their build id; readers pick the build matching the versions they are served.
build = Table(
    "build",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("grp", String(40), nullable=False),
    Column("versions", String(2000), nullable=False),  # "slug=3,slug=1", sorted by slug
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("grp", "versions", name="uq_build_grp_versions"),
)

app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),  # Argon2id (argon2-cffi)
    Column("role", String(10), nullable=False),  # editor | admin
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Sign-ins (and failed attempts, which drive throttling), publishes, rollbacks, text edits.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("address", String(64), nullable=False, default=""),
    Column("action", String(40), nullable=False),
    Column("target", String(200), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_audit_log_action_at", "action", "at"),
)

# Story texts (narrative, chart captions, text alternatives) in Markdown, every version kept.
text_version = Table(
    "text_version",
    metadata,
    Column("key", String(120), primary_key=True),  # e.g. "ecoles.intro", "ecoles-ips.alt"
    Column("lang", String(2), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(12), nullable=False),  # staged | published | discarded
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(254), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("note", Text, nullable=False, default=""),
)

# The text version served per key and language (absent: the text shipped in the code).
text_current = Table(
    "text_current",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("lang", String(2), primary_key=True),
    Column("version", Integer, nullable=False),
)


def _load_story_tables() -> None:
    """Every story's curated tables (`webapp/data/<story>_tables.py`) join `metadata` with the core ones."""
    import importlib

    from webapp.stories import STORIES

    importlib.import_module("webapp.data.geography_tables")
    for story in STORIES:
        importlib.import_module(f"webapp.data.{story.name}_tables")


_load_story_tables()
