"""Dataset versions: stage a file (validate, keep, build, compare), publish, roll back, discard.

Every version of a dataset keeps the file it came from. The curated tables a story reads are
computed from one version of each of its group's datasets: that is a *build*, and each curated row
carries its build id. Staging a file builds the tables for it without touching what readers are
served; publishing (or rolling back) moves `dataset.version` in one transaction, so a reader
resolves either the old build or the new one, never a mix. Builds are never rewritten, which is
also what lets a widget pinned to a past version keep showing it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Table, delete, func, insert, select, update

from webapp.data import audit, geography
from webapp.data import tables as t
from webapp.data.checking import (  # noqa: F401  (the editor and the tests read them here too)
    CROSS_CHECKS,
    SAMPLE_ROWS,
    SCHEMA_COLUMNS_ONLY,
    check_file,
    coverage_of,
    diff,
    period_change,
    schema_columns_file,
)
from webapp.data.db import Database
from webapp.data.groups import Group
from webapp.data.schema import Problem, Report, load_schema, normalise
from webapp.data.tabular import Unreadable, combine_csv, read_table
from webapp.i18n import N_
from webapp.public_error import PublicError
from webapp.stories import modules

GROUPS: dict[str, Group] = {g.name: g for g in (geography.GROUP_DEF, *(m.GROUP for m in modules("webapp.data")))}


def groups_of(slug: str) -> list[Group]:
    """The groups whose curated tables read `slug` (the IRIS outlines serve several stories)."""
    return [group for group in GROUPS.values() if slug in group.datasets]


class Rejected(Exception):
    """The file was not staged: `report` says every problem found (in `file_name`, when known)."""

    def __init__(self, report: Report, file_name: str | None = None) -> None:
        super().__init__(report.text("en"))
        self.report = report
        self.file_name = file_name


class Refused(PublicError):
    """An action that does not apply (unknown version, already published…): a public error (409) saying why."""

    def __init__(self, message: str, /, **arguments: object) -> None:
        super().__init__(409, message, **arguments)

    @property
    def fr(self) -> str:
        return self.message("fr")

    @property
    def en(self) -> str:
        return self.message("en")


@dataclass
class Staged:
    slug: str
    version: int
    row_count: int
    coverage: str | None
    changes: dict[str, Any]
    ignored_columns: list[str] = field(default_factory=list)
    file_kind: str = ""


def _served_table(db: Database) -> Callable[[str], pd.DataFrame | None]:
    def served(slug: str) -> pd.DataFrame | None:
        with db.engine.connect() as conn:
            version = served_versions(conn).get(slug)
            return load_frame(conn, slug, version) if version else None
    return served


# --- reading the store ---------------------------------------------------------------------------

def served_versions(conn: Connection) -> dict[str, int]:
    return {r.slug: r.version for r in conn.execute(select(t.dataset.c.slug, t.dataset.c.version))}


def load_frame(conn: Connection, slug: str, version: int) -> pd.DataFrame:
    """The normalised table of a stored version's file."""
    row = conn.execute(
        select(t.dataset_file.c.content, t.dataset_version.c.file_name)
        .join(t.dataset_version, (t.dataset_version.c.dataset_slug == t.dataset_file.c.dataset_slug)
              & (t.dataset_version.c.version == t.dataset_file.c.version))
        .where(t.dataset_file.c.dataset_slug == slug, t.dataset_file.c.version == version)
    ).first()
    if row is None:
        raise Refused(N_("La version {version} de « {slug} » n'existe pas."), version=version, slug=slug)
    schema = load_schema(slug)
    return normalise(schema, read_table(bytes(row.content), row.file_name, schema.names).frame)


def version_row(conn: Connection, slug: str, version: int) -> Any:
    return conn.execute(select(t.dataset_version).where(
        t.dataset_version.c.dataset_slug == slug, t.dataset_version.c.version == version)).first()


# --- builds ---------------------------------------------------------------------------------------

def ensure_build(conn: Connection, group: Group, versions: Mapping[str, int],
                 frames: dict[str, pd.DataFrame] | None = None) -> int:
    """The id of the build of `group` for `versions`, computing and storing it if needed.

    `frames` may give the normalised tables of some versions already read; they are taken out of
    the dict (so that memory is freed as soon as the build no longer needs them).
    """
    key = group.key(versions)
    existing = conn.execute(select(t.build.c.id).where(t.build.c.grp == group.name, t.build.c.versions == key)).scalar()
    if existing is not None:
        return existing
    frames = frames if frames is not None else {}
    inputs = {d: frames.pop(d) if d in frames else load_frame(conn, d, versions[d]) for d in group.datasets}
    built = group.build(inputs)
    del inputs  # the files' tables are no longer needed while the build is written
    build_id = conn.execute(
        insert(t.build).values(grp=group.name, versions=key, created_at=datetime.now(UTC)).returning(t.build.c.id)
    ).scalar_one()
    for table in group.tables:
        _insert(conn, table, built.pop(table.name), build_id)  # each table freed once written
        if conn.dialect.name == "postgresql":  # fresh statistics: the planner's estimates of the new rows
            conn.exec_driver_sql(f"ANALYZE {conn.dialect.identifier_preparer.quote(table.name)}")
    return build_id


def _insert(conn: Connection, table: Table, df: pd.DataFrame, build_id: int, chunk: int = 50_000) -> None:
    """Bulk-insert a curated table's rows for one build, inside the caller's transaction.

    PostgreSQL gets COPY and SQLite the driver's executemany (a million rows in seconds); the rows go
    through the same connection, hence the same transaction, as the rest of the build.
    """
    cols = [c.name for c in table.columns if c.name != "build_id"]
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(n) for n in ["build_id", *cols])

    def chunks():  # Python values (NaN as None), a chunk at a time: no copy of the whole table
        for start in range(0, len(df), chunk):
            part = df[cols].iloc[start:start + chunk]
            yield part.astype(object).where(part.notna(), None).itertuples(index=False, name=None)

    cursor = conn.connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                for rows in chunks():
                    for row in rows:
                        copy.write_row((build_id, *row))
        elif conn.dialect.name == "sqlite":
            sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join('?' * (len(cols) + 1))})"
            for rows in chunks():
                cursor.executemany(sql, ((build_id, *row) for row in rows))
        else:
            for rows in chunks():
                conn.execute(insert(table), [dict(zip(cols, row), build_id=build_id) for row in rows])
    finally:
        cursor.close()


def drop_builds_with(conn: Connection, slug: str, version: int) -> None:
    """Delete the builds made with a discarded version (never one that readers may be served)."""
    token = f"{slug}={version}"
    for group in groups_of(slug):
        ids = [r.id for r in conn.execute(select(t.build.c.id, t.build.c.versions).where(t.build.c.grp == group.name))
               if token in r.versions.split(",")]
        if not ids:
            continue
        for table in group.tables:
            conn.execute(delete(table).where(table.c.build_id.in_(ids)))
        conn.execute(delete(t.build).where(t.build.c.id.in_(ids)))


# --- the editor's actions ---------------------------------------------------------------------------

def stage(db: Database, slug: str, content: bytes, filename: str, actor: str, note: str = "",
          build: bool = True, coverage: str | None = None, source_date: date | None = None,
          is_demo: bool = False) -> Staged:
    """Validate a file and keep it as a new staged version (with its build, for the preview).

    `coverage` and `source_date` describe the file when known (the catalogue's wording and the
    producer's date); `coverage` defaults to the span of the schema's temporal field, and an unknown
    producer's date stays unknown (None): it is never taken to be the upload's day. `is_demo` marks
    a demo file: the site labels the dataset as demo data while that version is served.
    Raises `Rejected` with the full report when the file is not valid: nothing is written then.
    """
    schema = load_schema(slug)
    frame, report, kind = check_file(slug, content, filename, _served_table(db))
    if frame is None:
        raise Rejected(report)
    if slug in SCHEMA_COLUMNS_ONLY:  # the upload itself is not kept: it may hold personal data
        content, filename = schema_columns_file(schema, frame, filename)
    with db.engine.connect() as conn:
        current = served_versions(conn)
        old = load_frame(conn, slug, current[slug]) if current.get(slug) else None
        served_row = version_row(conn, slug, current[slug]) if current.get(slug) else None
    served_coverage = served_row.coverage if served_row is not None else None
    changes = diff(schema, old, frame)
    if slug in SCHEMA_COLUMNS_ONLY:
        changes["dropped_columns"] = report.ignored_columns
    coverage = coverage or coverage_of(schema, frame)
    if old is not None:  # what the preview says of the period covered, and why it changes
        changes["coverage"] = {"before": served_coverage, "after": coverage, **period_change(schema, old, frame)}
    row_count = len(frame)
    staged_frames = {slug: frame}
    del old, frame  # the build takes the table from `staged_frames` and frees it when done
    now = datetime.now(UTC)
    with db.begin() as conn:
        version = (conn.execute(select(func.max(t.dataset_version.c.version))
                                .where(t.dataset_version.c.dataset_slug == slug)).scalar() or 0) + 1
        conn.execute(insert(t.dataset_version).values(
            dataset_slug=slug, version=version, status="staged", staged_at=now, staged_by=actor,
            file_name=filename[:300], sha256=hashlib.sha256(content).hexdigest(), row_count=row_count,
            coverage=coverage, source_date=source_date,
            changes=json.dumps(changes, ensure_ascii=False), note=note, is_demo=is_demo,
        ))
        conn.execute(insert(t.dataset_file).values(dataset_slug=slug, version=version, content=content))
        if build:
            current = served_versions(conn)
            for group in groups_of(slug):
                if all(current.get(d) for d in group.datasets if d != slug):
                    ensure_build(conn, group, {**current, slug: version}, dict(staged_frames))
        dropped = f" ; colonnes écartées, non conservées : {', '.join(report.ignored_columns)}" \
            if slug in SCHEMA_COLUMNS_ONLY and report.ignored_columns else ""
        audit.record(conn, actor, "stage", f"{slug} v{version}", f"{filename} ({row_count} lignes){dropped}")
    return Staged(slug, version, row_count, coverage, changes, report.ignored_columns, kind)


def stage_files(db: Database, slug: str, files: Sequence[tuple[bytes, str]], actor: str, **options: Any) -> Staged:
    """`stage` for one file or several CSV files of one table (DVF: one a year), kept as one CSV.

    Each file is checked on its own first, so that a report names the file and its own lines.
    """
    if len(files) == 1:
        (content, name), = files
        try:
            return stage(db, slug, content, name, actor, **options)
        except Rejected as exc:
            raise Rejected(exc.report, name) from None
    for content, name in files:
        frame, report, _ = check_file(slug, content, name, _served_table(db))
        if frame is None:
            raise Rejected(report, name)
        del frame
    try:
        content, name = combine_csv(files)
    except Unreadable as exc:
        raise Rejected(Report([Problem(None, "", "", exc.fr, exc.en)], 1)) from None
    return stage(db, slug, content, name, actor, **options)


def publish(db: Database, changes: Mapping[str, int], actor: str, action: str = "publish",
            address: str = "") -> dict[str, int]:
    """Serve the given versions ({slug: version}) from now on, in one transaction; returns the build
    of each story group they feed ({group: build id}).

    `action` is "publish" (the versions must be staged) or "rollback" (they must have been published).
    """
    with db.begin() as conn:
        dataset_rows = conn.execute(
            select(t.dataset.c.slug, t.dataset.c.version, t.dataset.c.is_demo).with_for_update()
        ).all()
        current = {r.slug: r.version for r in dataset_rows}
        demo = {r.slug: bool(r.is_demo) for r in dataset_rows}
        rows = {}
        for slug, version in changes.items():
            row = version_row(conn, slug, version)
            if row is None or row.status == "discarded":
                raise Refused(N_("La version {version} de « {slug} » n'existe pas ou a été abandonnée."),
                              version=version, slug=slug)
            if action == "publish" and row.status != "staged":
                raise Refused(N_("La version {version} de « {slug} » est déjà publiée."), version=version, slug=slug)
            if action == "rollback" and row.status != "published":
                raise Refused(N_("La version {version} de « {slug} » n'a jamais été publiée."), version=version,
                              slug=slug)
            rows[slug] = row
        target = {**current, **changes}
        builds = {}
        for group in {g.name: g for slug in changes for g in groups_of(slug)}.values():
            if all(target.get(d) for d in group.datasets):  # a story whose datasets are all served
                builds[group.name] = ensure_build(conn, group, target)
        now = datetime.now(UTC)
        for slug, version in changes.items():
            row = rows[slug]
            values: dict[str, Any] = {"version": version}
            if row.source_date:  # unknown: the producer's date served so far stays, never today's
                values["last_update"] = row.source_date
            if row.coverage:
                values["coverage"] = row.coverage
            conn.execute(update(t.dataset).where(t.dataset.c.slug == slug).values(**values))
            if bool(row.is_demo) != demo.get(slug):
                from webapp.data.shipped import (
                    describe,  # the catalogue's wording for demo or real data
                )

                describe(conn, slug, bool(row.is_demo))
            if row.status == "staged":
                conn.execute(update(t.dataset_version).where(
                    t.dataset_version.c.dataset_slug == slug, t.dataset_version.c.version == version,
                ).values(status="published", published_at=now, published_by=actor))
            audit.record(conn, actor, action, f"{slug} v{version}",
                         f"{current.get(slug) or '-'} -> {version}", address)
    return builds


def discard(db: Database, slug: str, version: int, actor: str, address: str = "") -> None:
    with db.begin() as conn:
        row = version_row(conn, slug, version)
        if row is None or row.status != "staged":
            raise Refused(N_("Seule une version en attente de publication peut être abandonnée."))
        conn.execute(update(t.dataset_version).where(
            t.dataset_version.c.dataset_slug == slug, t.dataset_version.c.version == version,
        ).values(status="discarded"))
        conn.execute(delete(t.dataset_file).where(
            t.dataset_file.c.dataset_slug == slug, t.dataset_file.c.version == version))
        drop_builds_with(conn, slug, version)
        audit.record(conn, actor, "discard", f"{slug} v{version}", "", address)


def published_build_versions(db: Database, group: Group) -> list[dict[str, int]]:
    """The version sets of every build made only of published versions (what pinned widgets may ask)."""
    with db.engine.connect() as conn:
        published = {(r.dataset_slug, r.version) for r in conn.execute(
            select(t.dataset_version.c.dataset_slug, t.dataset_version.c.version)
            .where(t.dataset_version.c.status == "published"))}
        out = []
        for r in conn.execute(select(t.build.c.versions).where(t.build.c.grp == group.name).order_by(t.build.c.id.desc())):
            versions = {k: int(v) for k, v in (p.split("=") for p in r.versions.split(","))}
            if all((k, v) in published for k, v in versions.items()):
                out.append(versions)
    return out
