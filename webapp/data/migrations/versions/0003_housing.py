"""The housing story's curated tables: prices per span of years, the département's medians, census
dwellings and income per IRIS; each dataset version says whether its file is demo data.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STOCK = ("dwellings", "main_homes", "second_homes", "vacant", "houses", "flats", "owners", "tenants", "social_tenants")
INCOME = ("median_income", "income_q1", "income_q3", "low_income_rate", "taxed_share", "gini")


def _build(name: str) -> list:
    return [sa.Column("build_id", sa.Integer, nullable=False),
            sa.ForeignKeyConstraint(["build_id"], ["build.id"], name=f"fk_{name}_build_id_build")]


def upgrade() -> None:
    op.add_column("dataset_version", sa.Column("is_demo", sa.Boolean))
    op.create_table(
        "housing_price", *_build("housing_price"),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("iris_code", sa.String(9), nullable=False),
        sa.Column("dwelling_type", sa.String(12), nullable=False),
        sa.Column("year_from", sa.Integer, nullable=False),
        sa.Column("year_to", sa.Integer, nullable=False),
        sa.Column("sales", sa.Integer, nullable=False),
        sa.Column("priced", sa.Integer, nullable=False),
        sa.Column("median_price_m2", sa.Float),
        sa.Column("q1_price_m2", sa.Float),
        sa.Column("q3_price_m2", sa.Float),
        sa.PrimaryKeyConstraint("build_id", "commune_code", "iris_code", "dwelling_type", "year_from", "year_to",
                                name="pk_housing_price"),
    )
    op.create_table(
        "housing_reference", *_build("housing_reference"),
        sa.Column("department", sa.String(3), nullable=False),
        sa.Column("quarter_start", sa.Date, nullable=False),
        sa.Column("dwelling_type", sa.String(12), nullable=False),
        sa.Column("median_price_m2", sa.Float, nullable=False),
        sa.Column("sales", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "department", "quarter_start", "dwelling_type",
                                name="pk_housing_reference"),
    )
    op.create_table(
        "housing_stock", *_build("housing_stock"),
        sa.Column("iris_code", sa.String(9), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        *(sa.Column(name, sa.Float) for name in STOCK),
        sa.PrimaryKeyConstraint("build_id", "iris_code", name="pk_housing_stock"),
    )
    op.create_table(
        "housing_income", *_build("housing_income"),
        sa.Column("iris_code", sa.String(9), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        *(sa.Column(name, sa.Float) for name in INCOME),
        sa.PrimaryKeyConstraint("build_id", "iris_code", name="pk_housing_income"),
    )


def downgrade() -> None:
    for name in ("housing_income", "housing_stock", "housing_reference", "housing_price"):
        op.drop_table(name)
    op.drop_column("dataset_version", "is_demo")
