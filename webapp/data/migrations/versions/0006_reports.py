"""The citizen reports' rollups: reports per month and category, resolution times per month and per
span of years, the share resolved within 7 and 30 days, reports per IRIS (small counts grouped).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("reports_monthly", "reports_resolution", "reports_resolution_span", "reports_speed", "reports_iris")


def _build(name: str) -> list:
    return [sa.Column("build_id", sa.Integer, nullable=False),
            sa.ForeignKeyConstraint(["build_id"], ["build.id"], name=f"fk_{name}_build_id_build")]


def upgrade() -> None:
    op.create_table(
        "reports_monthly", *_build("reports_monthly"),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("closed", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "month", "category", name="pk_reports_monthly"),
    )
    op.create_table(
        "reports_resolution", *_build("reports_resolution"),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("resolved", sa.Integer, nullable=False),
        sa.Column("median_days", sa.Float),
        sa.PrimaryKeyConstraint("build_id", "month", "category", name="pk_reports_resolution"),
    )
    op.create_table(
        "reports_resolution_span", *_build("reports_resolution_span"),
        sa.Column("year_from", sa.Integer, nullable=False),
        sa.Column("year_to", sa.Integer, nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("resolved", sa.Integer, nullable=False),
        sa.Column("median_days", sa.Float),
        sa.PrimaryKeyConstraint("build_id", "year_from", "year_to", "category", name="pk_reports_resolution_span"),
    )
    op.create_table(
        "reports_speed", *_build("reports_speed"),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("within_7", sa.Integer),
        sa.Column("within_30", sa.Integer),
        sa.PrimaryKeyConstraint("build_id", "month", "category", name="pk_reports_speed"),
    )
    op.create_table(
        "reports_iris", *_build("reports_iris"),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("iris_code", sa.String(9), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "year", "iris_code", "category", name="pk_reports_iris"),
    )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
