"""Initial schema: dataset registry, IRIS, schools.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dataset",
        sa.Column("slug", sa.String(80), primary_key=True),
        sa.Column("title_fr", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("description_fr", sa.Text, nullable=False),
        sa.Column("description_en", sa.Text, nullable=False),
        sa.Column("theme", sa.String(40), nullable=False),
        sa.Column("producer", sa.String(200), nullable=False),
        sa.Column("licence", sa.String(120), nullable=False),
        sa.Column("licence_url", sa.String(300), nullable=False),
        sa.Column("source_url", sa.String(500), nullable=False),
        sa.Column("frequency", sa.String(40), nullable=False),
        sa.Column("coverage", sa.String(80), nullable=False),
        sa.Column("last_update", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("slug", name="pk_dataset"),
    )
    op.create_table(
        "dataset_version",
        sa.Column("dataset_slug", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("dataset_slug", "version", name="pk_dataset_version"),
        sa.ForeignKeyConstraint(
            ["dataset_slug"], ["dataset.slug"], name="fk_dataset_version_dataset_slug_dataset"
        ),
    )
    op.create_table(
        "iris",
        sa.Column("code", sa.String(9), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("geometry", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_iris"),
    )
    op.create_index("ix_iris_commune_code", "iris", ["commune_code"])
    op.create_table(
        "school",
        sa.Column("uai", sa.String(8), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("sector", sa.String(10), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("commune_name", sa.String(120), nullable=False),
        sa.Column("lycee_type", sa.String(10)),
        sa.Column("priority_education", sa.String(10)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("iris_code", sa.String(9)),
        sa.PrimaryKeyConstraint("uai", name="pk_school"),
    )
    op.create_index("ix_school_level", "school", ["level"])
    op.create_index("ix_school_commune_code", "school", ["commune_code"])
    for name, cols in (
        ("school_ips", [sa.Column("year", sa.Integer, nullable=False), sa.Column("ips", sa.Float, nullable=False)]),
        (
            "school_enrolment",
            [
                sa.Column("year", sa.Integer, nullable=False),
                sa.Column("grade", sa.String(8), nullable=False),
                sa.Column("pupils", sa.Integer, nullable=False),
            ],
        ),
        (
            "school_dnb",
            [
                sa.Column("session", sa.Integer, nullable=False),
                sa.Column("candidates", sa.Integer, nullable=False),
                sa.Column("success_rate", sa.Float, nullable=False),
                sa.Column("value_added", sa.Float),
            ],
        ),
    ):
        keys = {"school_ips": ["uai", "year"], "school_enrolment": ["uai", "year", "grade"],
                "school_dnb": ["uai", "session"]}[name]
        op.create_table(
            name,
            sa.Column("uai", sa.String(8), nullable=False),
            *cols,
            sa.PrimaryKeyConstraint(*keys, name=f"pk_{name}"),
            sa.ForeignKeyConstraint(["uai"], ["school.uai"], name=f"fk_{name}_uai_school"),
        )


def downgrade() -> None:
    for name in ("school_dnb", "school_enrolment", "school_ips", "school", "iris", "dataset_version", "dataset"):
        op.drop_table(name)
