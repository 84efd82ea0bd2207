"""The footfall story's rollups: counting points, passages per day and per month x weekday x hour,
Flux Vision visitors per category and per origin.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _build(name: str) -> list:
    return [sa.Column("build_id", sa.Integer, nullable=False),
            sa.ForeignKeyConstraint(["build_id"], ["build.id"], name=f"fk_{name}_build_id_build")]


def upgrade() -> None:
    op.create_table(
        "footfall_point", *_build("footfall_point"),
        sa.Column("site_id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("commune_code", sa.String(5)),
        sa.Column("longitude", sa.Float),
        sa.Column("latitude", sa.Float),
        sa.PrimaryKeyConstraint("build_id", "site_id", name="pk_footfall_point"),
    )
    op.create_table(
        "footfall_daily", *_build("footfall_daily"),
        sa.Column("site_id", sa.String(40), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("passages", sa.Float),
        sa.Column("avg7", sa.Float),
        sa.Column("last_year", sa.Float),
        sa.PrimaryKeyConstraint("build_id", "site_id", "day", name="pk_footfall_daily"),
    )
    op.create_table(
        "footfall_hourly", *_build("footfall_hourly"),
        sa.Column("site_id", sa.String(40), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("passages", sa.Float, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "site_id", "month", "weekday", "hour", name="pk_footfall_hourly"),
    )
    op.create_table(
        "footfall_visitors", *_build("footfall_visitors"),
        sa.Column("zone", sa.String(120), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("volume", sa.Float),
        sa.PrimaryKeyConstraint("build_id", "zone", "day", "category", name="pk_footfall_visitors"),
    )
    op.create_table(
        "footfall_origin", *_build("footfall_origin"),
        sa.Column("zone", sa.String(120), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("origin", sa.String(120), nullable=False),
        sa.Column("volume", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "zone", "month", "level", "origin", name="pk_footfall_origin"),
    )


def downgrade() -> None:
    for name in ("footfall_origin", "footfall_visitors", "footfall_hourly", "footfall_daily", "footfall_point"):
        op.drop_table(name)
