"""Versioned store and editor workspace: every dataset version kept with its file, curated rows per
build, accounts, audit log, story texts.

The curated tables and the dataset registry are recreated: `flask --app wsgi db seed` imports the
shipped files again (as version 1 of each dataset), as `make run` does after upgrading.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CURATED = ("school_dnb", "school_enrolment", "school_ips", "school", "iris")  # as created by 0001


def upgrade() -> None:
    for name in (*CURATED, "dataset_version", "dataset"):
        op.drop_table(name)
    op.create_table(
        "dataset",
        sa.Column("slug", sa.String(80), nullable=False),
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
        sa.Column("min_count", sa.Integer),
        sa.PrimaryKeyConstraint("slug", name="pk_dataset"),
    )
    op.create_table(
        "dataset_version",
        sa.Column("dataset_slug", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("staged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staged_by", sa.String(200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("published_by", sa.String(200)),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("coverage", sa.String(80)),
        sa.Column("source_date", sa.Date),
        sa.Column("changes", sa.Text),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("dataset_slug", "version", name="pk_dataset_version"),
        sa.ForeignKeyConstraint(
            ["dataset_slug"], ["dataset.slug"], name="fk_dataset_version_dataset_slug_dataset"
        ),
    )
    op.create_table(
        "dataset_file",
        sa.Column("dataset_slug", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("dataset_slug", "version", name="pk_dataset_file"),
    )
    op.create_table(
        "build",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("grp", sa.String(40), nullable=False),
        sa.Column("versions", sa.String(2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_build"),
        sa.UniqueConstraint("grp", "versions", name="uq_build_grp_versions"),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_app_user"),
        sa.UniqueConstraint("email", name="uq_app_user_email"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])
    op.create_table(
        "text_version",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", "lang", "version", name="pk_text_version"),
    )
    op.create_table(
        "text_current",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", "lang", name="pk_text_current"),
    )

    def build_id() -> sa.Column:
        return sa.Column("build_id", sa.Integer, nullable=False)

    def build_fk(name: str) -> sa.ForeignKeyConstraint:
        return sa.ForeignKeyConstraint(["build_id"], ["build.id"], name=f"fk_{name}_build_id_build")

    op.create_table(
        "iris",
        build_id(),
        sa.Column("code", sa.String(9), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("geometry", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "code", name="pk_iris"),
        build_fk("iris"),
    )
    op.create_index("ix_iris_commune_code", "iris", ["commune_code"])
    op.create_table(
        "school",
        build_id(),
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
        sa.PrimaryKeyConstraint("build_id", "uai", name="pk_school"),
        build_fk("school"),
    )
    op.create_index("ix_school_level", "school", ["level"])
    op.create_index("ix_school_build_id_commune_code", "school", ["build_id", "commune_code"])
    op.create_table(
        "school_ips",
        build_id(),
        sa.Column("uai", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("ips", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "uai", "year", name="pk_school_ips"),
        build_fk("school_ips"),
    )
    op.create_table(
        "school_enrolment",
        build_id(),
        sa.Column("uai", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("grade", sa.String(8), nullable=False),
        sa.Column("pupils", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "uai", "year", "grade", name="pk_school_enrolment"),
        build_fk("school_enrolment"),
    )
    op.create_table(
        "school_dnb",
        build_id(),
        sa.Column("uai", sa.String(8), nullable=False),
        sa.Column("session", sa.Integer, nullable=False),
        sa.Column("candidates", sa.Integer, nullable=False),
        sa.Column("success_rate", sa.Float, nullable=False),
        sa.Column("value_added", sa.Float),
        sa.PrimaryKeyConstraint("build_id", "uai", "session", name="pk_school_dnb"),
        build_fk("school_dnb"),
    )
    op.create_table(
        "school_ips_reference",
        build_id(),
        sa.Column("department", sa.String(3), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("ips", sa.Float, nullable=False),
        sa.Column("schools", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "department", "level", "year", name="pk_school_ips_reference"),
        build_fk("school_ips_reference"),
    )
    op.create_table(
        "school_dnb_reference",
        build_id(),
        sa.Column("department", sa.String(3), nullable=False),
        sa.Column("session", sa.Integer, nullable=False),
        sa.Column("candidates", sa.Integer, nullable=False),
        sa.Column("success_rate", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("build_id", "department", "session", name="pk_school_dnb_reference"),
        build_fk("school_dnb_reference"),
    )


def downgrade() -> None:
    raise NotImplementedError("0002 recreates the data tables: restore a backup to go back to 0001")
