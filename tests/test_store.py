"""The SQL store: migrations against the metadata, seeding, the versioned cache, bound parameters."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from tests.helpers import read_source_json, republish
from webapp.data import geography
from webapp.data import schools as q
from webapp.data.schools import SchoolFilter
from webapp.data.store import build_id, dataset_versions, get_db, versioned
from webapp.data.tables import metadata
from webapp.demo import seed as seed_module
from webapp.extensions import cache


def _versions(db) -> dict[str, int]:
    df = db.query_df("SELECT slug, version FROM dataset")
    return {slug: int(v) for slug, v in zip(df["slug"], df["version"])}


def _version_rows(db) -> dict[str, list[int]]:
    df = db.query_df("SELECT dataset_slug, version FROM dataset_version ORDER BY dataset_slug, version")
    out: dict[str, list[int]] = {}
    for slug, v in zip(df["dataset_slug"], df["version"]):
        out.setdefault(slug, []).append(int(v))
    return out


def _bump(db, slug: str) -> None:
    republish(db, slug)


def test_store_and_cache_follow_the_environment(server, db):
    """The PostgreSQL + Redis run really uses them (and the default run SQLite + in-process)."""
    url = os.environ.get("DATABASE_URL")
    assert db.dialect == (make_url(url).get_backend_name() if url else "sqlite")
    expected_cache = os.environ.get("CACHE_TYPE", "SimpleCache")
    with server.app_context():
        assert type(cache.cache).__name__ == expected_cache
        key = f"test-{uuid.uuid4().hex}"
        cache.set(key, {"a": [1, "é"]})
        assert cache.get(key) == {"a": [1, "é"]}
        cache.delete(key)


def test_migrations_produce_exactly_the_metadata(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_migrated_database_is_at_head(db):
    from alembic.script import ScriptDirectory

    from webapp.data.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config(db)).get_current_head()
    assert db.scalar("SELECT version_num FROM alembic_version") == head


def test_every_catalogue_dataset_is_registered(db):
    catalogue = read_source_json("catalogue.json")["datasets"]
    assert set(_versions(db)) == {d["slug"] for d in catalogue}


def test_seed_twice_bumps_versions_and_logs_each(server, db):
    before, rows_before = _versions(db), _version_rows(db)
    for step in (1, 2):
        seed_module.seed(db)
        after, rows_after = _versions(db), _version_rows(db)
        # Each seed publishes a new version of every dataset, numbered after every version ever kept.
        assert after == {slug: max(rows_before[slug]) + step for slug in before}
        for slug, version in after.items():
            assert len(rows_after[slug]) == len(rows_before.get(slug, [])) + step, slug
            assert rows_after[slug][-1] == version, slug
    # Readers are served the new build, which holds the data once; earlier builds stay for pinned widgets.
    with server.test_request_context():
        served, outlines = build_id("ecoles"), build_id(geography.GROUP)
    assert db.scalar("SELECT COUNT(*) FROM iris WHERE build_id = :b", {"b": outlines}) == 16
    assert db.scalar("SELECT COUNT(*) FROM school WHERE build_id = :b AND commune_code = '62041' "
                     "AND level = 'ecole'", {"b": served}) == 16
    assert db.scalar("SELECT COUNT(DISTINCT build_id) FROM iris") >= 3


def test_seed_version_row_records_the_row_count(db):
    """The revision log says how many rows each published version holds (the IRIS file has 16)."""
    row_count = db.scalar(
        "SELECT row_count FROM dataset_version WHERE dataset_slug = 'iris-contours' "
        "ORDER BY version DESC LIMIT 1"
    )
    assert row_count == 16


def test_versioned_cache_recomputes_only_after_a_version_bump(server, db):
    calls: list[str] = []

    @versioned("iris-contours")
    def compute(token: str) -> dict:
        calls.append(token)
        return {"call": len(calls), "token": token}

    token = uuid.uuid4().hex
    with server.test_request_context():
        first = compute(token)
    with server.test_request_context():
        second = compute(token)
    assert calls == [token]
    assert second == first

    _bump(db, "colleges-ips")  # a dataset the function does not depend on
    with server.test_request_context():
        assert compute(token) == first
    assert len(calls) == 1

    _bump(db, "iris-contours")
    with server.test_request_context():
        third = compute(token)
    assert len(calls) == 2
    assert third["call"] == 2
    with server.test_request_context():
        assert compute(token) == third
    assert len(calls) == 2

    other = uuid.uuid4().hex  # other arguments: another entry
    with server.test_request_context():
        compute(other)
    assert calls[-1] == other


def test_versioned_star_depends_on_every_dataset(server, db):
    calls = []

    @versioned("*")
    def compute(token: str) -> list:
        calls.append(token)
        return [len(calls)]

    token = uuid.uuid4().hex
    with server.test_request_context():
        compute(token)
        compute(token)
    assert len(calls) == 1
    _bump(db, "lycees-effectifs")
    with server.test_request_context():
        compute(token)
    assert len(calls) == 2


def test_chart_view_is_recomputed_after_a_publish(server, db, monkeypatch):
    from webapp.charts import schools as sc

    calls = []
    real = q.query_schools

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(q, "query_schools", counting)
    f = SchoolFilter(levels=("college",), sector="public")
    with server.test_request_context():
        cache.clear()
        first = sc.view_map(f, "fr")
    with server.test_request_context():
        assert sc.view_map(f, "fr") == first
    assert len(calls) == 1
    _bump(db, "lycees-effectifs")  # not one of the map's datasets
    with server.test_request_context():
        sc.view_map(f, "fr")
    assert len(calls) == 1
    _bump(db, "colleges-annuaire")  # one of the map's datasets
    with server.test_request_context():
        assert sc.view_map(f, "fr") == first  # same data, recomputed
    assert len(calls) == 2


def test_dataset_versions_are_read_once_per_request(server, db):
    with server.test_request_context():
        v1 = dataset_versions()
        _bump(db, "ecoles-ips")
        assert dataset_versions() == v1  # memoized for the request
    with server.test_request_context():
        assert dataset_versions()["ecoles-ips"] == v1["ecoles-ips"] + 1


@pytest.mark.parametrize("value", ["x' OR '1'='1", "620410101'; DROP TABLE school; --", "'", "\"", "%"])
def test_queries_take_bound_parameters(ctx, value):
    db = get_db()
    b = build_id("ecoles")
    assert q.query_schools(db, b, "62041", SchoolFilter(iris=value)).empty
    assert q.query_schools(db, b, "62041", SchoolFilter(sector=value)).empty
    assert q.query_schools(db, b, value, SchoolFilter()).empty
    assert q.query_dnb(db, b, "62041", SchoolFilter(levels=(value,))).empty
    assert geography.query_iris(db, build_id(geography.GROUP), value).empty
    # Nothing was dropped or altered.
    assert db.scalar("SELECT COUNT(*) FROM school WHERE build_id = :b AND commune_code = '62041'", {"b": b}) == 29


def test_seeding_an_older_store_imports_only_the_datasets_it_does_not_serve(tmp_path):
    # A store seeded before the housing story: `db seed` (and a start with SEED_ON_START) adds the
    # new story's datasets and leaves the served ones alone.
    from webapp.data import migrate
    from webapp.demo import seed
    from webapp.data.db import Database
    from webapp.data.publishing import GROUPS

    store = Database(f"sqlite:///{tmp_path / 'older.sqlite3'}")
    try:
        migrate.upgrade(store)
        seed.seed(store, only=list(GROUPS["ecoles"].datasets))
        schools = store.query_df("SELECT slug, version FROM dataset WHERE version > 0 ORDER BY slug")
        later = {d for name, group in GROUPS.items() if name != "ecoles" for d in group.datasets}
        assert sorted(seed.unserved(store)) == sorted(later - set(GROUPS["ecoles"].datasets))
        seed.seed(store, only=seed.unserved(store))
        assert seed.unserved(store) == []
        after = store.query_df("SELECT slug, version FROM dataset ORDER BY slug").set_index("slug")["version"]
        assert all(after[s] == v for s, v in zip(schools["slug"], schools["version"]))  # not imported again
        assert store.scalar("SELECT COUNT(*) FROM build WHERE grp = 'logement'") == 1
        assert seed.seed(store, only=seed.unserved(store)) == {}
    finally:
        store.dispose()
