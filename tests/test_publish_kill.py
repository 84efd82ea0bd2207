"""An import killed midway (SIGKILL, inside its build step) leaves readers served exactly as before.

`flask --app wsgi datasets import ecoles-ips FILE --publish` runs in a child process on the session's
database; once the child has written the first curated table of its build (inside the staging
transaction, so written but not committed) it says so and waits, and the test kills it, then
compares the served versions, the served build's rows and the public CSV with what they were, and
checks that the next import goes through. The served version is restored at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.helpers import serve_again, stored_file
from webapp.data import publishing
from webapp.data import tables as t
from webapp.extensions import cache

ROOT = Path(__file__).resolve().parents[1]
FLASK = Path(sys.executable).parent / "flask"
SLUG = "ecoles-ips"
CITY_INSEE = "62041"
EXTRA_ROWS = 20_000  # a national-looking file: the city's real rows and other communes' copies
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
WAIT_FOR_BUILD = 180.0  # seconds for the child to reach its build step
PUBLIC_DELAY = 5.0  # a publish reaches readers within WIDGET_VERSION_TTL (1 s); margin for a loaded machine


# --- the files -------------------------------------------------------------------------------------

def served_file(db) -> tuple[str, list[list[str]], str]:
    """(header line, data rows as cells, line ending) of the served file of the dataset."""
    content, _ = stored_file(db, SLUG)
    body = content.decode("utf-8-sig")
    ending = "\r\n" if "\r\n" in body[:2000] else "\n"
    lines = [line for line in body.split(ending) if line]
    return lines[0], [line.split(";") for line in lines[1:]], ending


def write_file(path: Path, header: str, rows: list[list[str]], ending: str) -> Path:
    path.write_text(ending.join([header, *(";".join(r) for r in rows)]) + ending, encoding="utf-8")
    return path


def big_file(path: Path, header: str, rows: list[list[str]], ending: str) -> Path:
    """The served rows and EXTRA_ROWS more, copies of other communes' schools under new UAIs."""
    col = {name: i for i, name in enumerate(header.split(";"))}
    taken = {r[col["UAI"]] for r in rows}
    templates = [r for r in rows if r[col["Code INSEE de la commune"]] != CITY_INSEE]
    extra = []
    for n in range(EXTRA_ROWS):
        row = list(templates[n % len(templates)])
        uai = f"0{n:06d}{LETTERS[n % len(LETTERS)]}"
        while uai in taken:
            uai = uai[:-1] + LETTERS[(LETTERS.index(uai[-1]) + 1) % len(LETTERS)]
        taken.add(uai)
        row[col["UAI"]] = uai
        row[col["IPS"]] = f"{60 + (n * 37) % 900 / 10:.1f}"
        extra.append(row)
    return write_file(path, header, rows + extra, ending)


def import_command(file: Path) -> list[str]:
    return [str(FLASK), "--app", "wsgi", "datasets", "import", SLUG, str(file), "--publish", "--by", "test-kill"]


def child_env(database_url: str) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="test-secret", SEED_ON_START="0")


# --- what readers are served -----------------------------------------------------------------------

def store_state(db) -> dict:
    """Served versions, every version and build row, and every row of the served build's tables."""
    group = publishing.groups_of(SLUG)[0]
    with db.engine.connect() as conn:
        served = publishing.served_versions(conn)
        build = conn.execute(select(t.build.c.id).where(
            t.build.c.grp == group.name, t.build.c.versions == group.key(served))).scalar_one()
        state = {
            "dataset": conn.execute(select(t.dataset).order_by(t.dataset.c.slug)).all(),
            "versions": conn.execute(select(t.dataset_version).order_by(
                t.dataset_version.c.dataset_slug, t.dataset_version.c.version)).all(),
            "files": conn.execute(select(t.dataset_file.c.dataset_slug, t.dataset_file.c.version).order_by(
                t.dataset_file.c.dataset_slug, t.dataset_file.c.version)).all(),
            "builds": conn.execute(select(t.build).order_by(t.build.c.id)).all(),
            "served build": build,
        }
        for table in group.tables:
            state[table.name] = conn.execute(select(table).where(table.c.build_id == build).order_by(
                *table.columns)).all()
    return state


def public_csv(client, server) -> bytes:
    """/embed/ecoles-ips.csv as readers get it, and as computed afresh (caches emptied): the same bytes."""
    served = client.get(f"/embed/{SLUG}.csv")
    assert served.status_code == 200
    with server.app_context():
        cache.clear()
    # A distinct Accept-Encoding: the widget fast path's memory is keyed by it, so Flask answers.
    fresh = client.get(f"/embed/{SLUG}.csv", headers={"Accept-Encoding": f"identity;q=1, x-{time.time_ns()}"})
    assert fresh.status_code == 200
    assert fresh.data == served.data, "the cached answer differs from the one computed from the store"
    return served.data


# --- killing the child inside its build step ------------------------------------------------------

# The CLI, with the bulk insert of curated rows announcing each table it has written and then waiting:
# the parent kills the process there, inside the staging transaction, with rows written but not committed.
CHILD = """
import sys, time
from webapp.data import publishing
real_insert = publishing._insert
def announcing_insert(conn, table, df, build_id, **kwargs):
    real_insert(conn, table, df, build_id, **kwargs)
    print("BUILD ROWS WRITTEN", table.name, len(df), flush=True)
    time.sleep(600)
publishing._insert = announcing_insert
from flask.cli import main
sys.argv = ["flask", *sys.argv[1:]]
main()
"""


def kill_inside_build(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    child = subprocess.Popen([sys.executable, "-c", CHILD, *command[1:]], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + WAIT_FOR_BUILD
    seen = []
    try:
        for line in child.stdout:
            seen.append(line)
            if line.startswith("BUILD ROWS WRITTEN"):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the import's build step was not reached within {WAIT_FOR_BUILD:.0f} s")
        else:
            pytest.fail(f"the import ended (exit {child.wait(30)}) before its build step:\n{''.join(seen)}")
        assert child.poll() is None
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
        child.stdout.close()
    return child, seen[-1]


# --- the test --------------------------------------------------------------------------------------

def test_import_killed_inside_build_changes_nothing_served(db, database_url, client, server, tmp_path):
    with db.engine.connect() as conn:
        original = publishing.served_versions(conn)[SLUG]
        original_row = conn.execute(select(t.dataset.c.coverage, t.dataset.c.last_update)
                                    .where(t.dataset.c.slug == SLUG)).one()
    header, rows, ending = served_file(db)
    big = big_file(tmp_path / "ips-ecoles-gros.csv", header, rows, ending)
    before, csv_before = store_state(db), public_csv(client, server)
    env = child_env(database_url)
    try:
        child, marker = kill_inside_build(import_command(big), env)
        assert child.returncode == -signal.SIGKILL
        written = int(marker.split()[-1])
        assert written > 0, marker  # rows of the new build were written (uncommitted) when it died

        assert store_state(db) == before, "the killed import changed what the store serves or keeps"
        assert public_csv(client, server) == csv_before
        if db.dialect == "sqlite":
            assert db.scalar("PRAGMA integrity_check") == "ok"

        # The next import goes through: one école of the city gets a new IPS, and readers see it.
        col = {name: i for i, name in enumerate(header.split(";"))}
        target = min((r for r in rows if r[col["Code INSEE de la commune"]] == CITY_INSEE), key=lambda r: r[col["UAI"]])
        new_ips = f"{float(target[col['IPS']]) + 1.3:.1f}"
        changed = [list(r) for r in rows]
        changed[rows.index(target)][col["IPS"]] = new_ips
        small = write_file(tmp_path / "ips-ecoles-corrige.csv", header, changed, ending)
        done = subprocess.run(import_command(small), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                              check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "~1 against the served version" in done.stdout and "published" in done.stdout, done.stdout
        with db.engine.connect() as conn:
            now_served = publishing.served_versions(conn)[SLUG]
        assert now_served == max(v.version for v in before["versions"] if v.dataset_slug == SLUG) + 1
        deadline = time.monotonic() + PUBLIC_DELAY
        while (body := client.get(f"/embed/{SLUG}.csv").data) == csv_before and time.monotonic() < deadline:
            time.sleep(0.2)
        lines = body.decode("utf-8-sig").splitlines()
        assert sum(1 for line in lines if line.endswith("," + new_ips)) >= 1, "the new IPS is not served"
        assert len(lines) == len(csv_before.decode("utf-8-sig").splitlines())
    finally:
        with db.engine.connect() as conn:
            served_now = publishing.served_versions(conn)[SLUG]
        if served_now != original:
            serve_again(db, SLUG, original)
        with db.begin() as conn:  # a rollback takes the version's own coverage and date: put back the catalogue's
            conn.execute(update(t.dataset).where(t.dataset.c.slug == SLUG).values(
                coverage=original_row.coverage, last_update=original_row.last_update))
