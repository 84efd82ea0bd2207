"""The store's SQLAlchemy metadata, shared by the core tables and every story's curated tables."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def build_column() -> Column:
    """A curated row's build: part of its primary key (rows of every build are kept)."""
    return Column("build_id", Integer, ForeignKey("build.id"), primary_key=True)
