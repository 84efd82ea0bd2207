"""The commerce observatory's rollups: units at each year-end, stock and flows and activity mix per
IRIS, units around the counting points, Sirene establishments per year.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("commerce_unit", "commerce_stock", "commerce_mix", "commerce_point", "commerce_sirene")


def _build(name: str) -> list:
    return [sa.Column("build_id", sa.Integer, nullable=False),
            sa.ForeignKeyConstraint(["build_id"], ["build.id"], name=f"fk_{name}_build_id_build")]


def upgrade() -> None:
    op.create_table(
        "commerce_unit", *_build("commerce_unit"),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("unit_id", sa.String(40), nullable=False),
        sa.Column("vacant", sa.Boolean, nullable=False),
        sa.Column("street_number", sa.String(20)),
        sa.Column("street", sa.String(200), nullable=False),
        sa.Column("iris_code", sa.String(9), nullable=False),
        sa.Column("longitude", sa.Float),
        sa.Column("latitude", sa.Float),
        sa.Column("category", sa.String(40)),
        sa.Column("independent", sa.Boolean),
        sa.Column("name", sa.String(200)),
        sa.PrimaryKeyConstraint("build_id", "year", "unit_id", name="pk_commerce_unit"),
    )
    op.create_table(
        "commerce_stock", *_build("commerce_stock"),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("iris_code", sa.String(9), nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("vacant", sa.Integer, nullable=False),
        sa.Column("openings", sa.Integer, nullable=False),
        sa.Column("closures", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "year", "iris_code", name="pk_commerce_stock"),
    )
    op.create_table(
        "commerce_mix", *_build("commerce_mix"),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("iris_code", sa.String(9), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("businesses", sa.Integer, nullable=False),
        sa.Column("independents", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "year", "iris_code", "category", name="pk_commerce_mix"),
    )
    op.create_table(
        "commerce_point", *_build("commerce_point"),
        sa.Column("site_id", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("vacant", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "site_id", "year", name="pk_commerce_point"),
    )
    op.create_table(
        "commerce_sirene", *_build("commerce_sirene"),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("closed", sa.Integer, nullable=False),
        sa.Column("active", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "year", "category", name="pk_commerce_sirene"),
    )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
