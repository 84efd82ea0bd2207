"""Geography as its own group: the IRIS outlines get builds of the group `geographie`, and each school
row keeps its quartier's name (the schools' build no longer holds the outlines).

A store upgraded from 0006 keeps what it served: each version of `iris-contours` an `ecoles` build
read becomes a `geographie` build with the same rows, and the schools' rows get their IRIS name.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("school", sa.Column("iris_name", sa.String(120)))
    conn = op.get_bind()
    conn.execute(sa.text(
        "UPDATE school SET iris_name = (SELECT i.name FROM iris i WHERE i.build_id = school.build_id "
        "AND i.code = school.iris_code) WHERE iris_code IS NOT NULL"))
    done: set[str] = set()
    for build_id, versions in conn.execute(sa.text("SELECT id, versions FROM build WHERE grp = 'ecoles' ORDER BY id")):
        key = next((part for part in versions.split(",") if part.startswith("iris-contours=")), None)
        if key is None or key in done:
            continue
        done.add(key)
        conn.execute(sa.text("INSERT INTO build (grp, versions, created_at) VALUES ('geographie', :key, :now)"),
                     {"key": key, "now": datetime.now(UTC)})
        geo = conn.execute(sa.text("SELECT id FROM build WHERE grp = 'geographie' AND versions = :key"),
                           {"key": key}).scalar_one()
        conn.execute(sa.text("INSERT INTO iris (build_id, code, name, commune_code, geometry) "
                             "SELECT :geo, code, name, commune_code, geometry FROM iris WHERE build_id = :old"),
                     {"geo": geo, "old": build_id})
    conn.execute(sa.text("DELETE FROM iris WHERE build_id IN (SELECT id FROM build WHERE grp = 'ecoles')"))


def downgrade() -> None:
    conn = op.get_bind()
    for build_id, versions in conn.execute(sa.text("SELECT id, versions FROM build WHERE grp = 'ecoles'")):
        key = next((part for part in versions.split(",") if part.startswith("iris-contours=")), None)
        conn.execute(sa.text(
            "INSERT INTO iris (build_id, code, name, commune_code, geometry) SELECT :old, i.code, i.name, "
            "i.commune_code, i.geometry FROM iris i JOIN build b ON b.id = i.build_id "
            "WHERE b.grp = 'geographie' AND b.versions = :key"), {"old": build_id, "key": key})
    conn.execute(sa.text("DELETE FROM iris WHERE build_id IN (SELECT id FROM build WHERE grp = 'geographie')"))
    conn.execute(sa.text("DELETE FROM build WHERE grp = 'geographie'"))
    op.drop_column("school", "iris_name")
