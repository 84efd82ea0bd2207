"""Latency of the footfall and commerce stories' charts and of their callbacks on the 5-year hourly
footfall data, and the cost of publishing the 5-year files.

Usage: python bench/footfall_latency.py [--quick] [--databases sqlite,postgresql] [--years 2021-2025]
       [--cold N] [--warm-filters N] [--warm-repeats N] [--postgres-url URL] [--seed S] [--explain]
       [--patch-zone-param] [--keep]

The issue asks for the p95 callback latency of every footfall and commerce chart on the 5-year hourly
data, warm and cold, on SQLite and PostgreSQL: goals warm <= 30 ms and cold <= 300 ms at p95; and the
publish time and peak memory of the 5-year file. The script measures the six footfall charts and the
five commerce charts (those the registry holds for the stories `frequentation` and `commerces`).

For each database (a fresh SQLite file in a temporary folder; PostgreSQL at --postgres-url, its tables
dropped first as `tests/conftest.py::reset_database` does, then migrated and seeded: the seed publishes
13 months of demo footfall, and the demo shop inventory and Sirene extract):

* the demo files of --years (default 2021-2025: about 1.36 million hourly measure rows and 343,000 Flux
  Vision rows) are generated once, in this process, with `webapp.demo.seed.Generated` as
  `flask datasets demo-footfall` does, and written to the temporary folder;
* a child process reads them and makes the calls of `flask datasets demo-footfall`: `publishing.stage`
  of the four datasets (comptage-sites, comptage-canaux, comptage-mesures, flux-vision; `build=False`,
  demo coverage and label), then one `publishing.publish` of the four versions. It builds and writes the
  rollups of both groups that read them: the footfall rollups (`webapp.data.importers.footfall.
  build_tables`) and, since the commerce rollups count the units around each counting point
  (comptage-sites), the commerce ones again (`webapp.data.importers.commerce.build_tables`); the child
  times each group's `publishing.ensure_build` (`publish` returns the builds, not their times). Reported: stage and publish times as the child measures them (without its interpreter start
  and imports, and without generating the files: an editor imports files she has), the child's peak
  resident memory (VmHWM of /proc/self/status read by the child at its end: its own peak since exec,
  imports and the files' bytes included; its RSS just before staging is printed too) and wait4's
  ru_maxrss (on Linux it carries the parent's peak: printed for comparison only);
* then times, on one app from `webapp.create_app` (SimpleCache, in-process), each registered chart of
  the two stories through its `Chart.view(f, "fr")` (what the callback and the widgets call), each in a
  fresh `test_request_context` (so the per-request reading of dataset versions and builds is included),
  and each story's server callback `update_charts` POSTed to `/_dash-update-component` with the Flask
  test client (it answers the story's charts and its status at once). "cold": `cache.clear()` before
  each call (the process, imports and connection pool stay warm); "warm": the same call repeated after
  it filled the cache.
  - footfall filters vary over counting points (all, and three points), periods of 1, 3, 12 and 60
    months (at the start, the middle and the end of the data), Flux Vision zones (all, and two), visitor
    categories (all and each) and events (the default, i.e. the latest, two others, and a 14-day range
    of days); the order is drawn so that each period length comes in turn;
  - commerce filters (each parsed by `webapp.charts.commerce.parse_filters`, as a URL is) vary over the
    year-ends the inventory describes: the first, the middle and the last, the first and last years the
    footfall data covers and the latest it does not (the scatter of vacancy against footfall is empty
    then) crossed with the three perimeters (commune, hypercentre, hors-hypercentre); the order makes
    every year come in turn, the perimeter rotating.

Prints a Markdown table (p50 / p95 / max in ms per chart, cold and warm, and whether the goals are met),
the publish table and details: SQL time inside the cold calls, the slowest statement of each chart, the
rows of the rollup tables, p95 by period length (footfall) or by year (commerce), the size of the
answers; the query plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL) of the slowest
statement of any chart, or of a callback, missing a goal (of every one with --explain). A call that
raises (or a POST answering an HTTP error) is counted as failed, not timed, and its first error is
printed: the table says "ERROR in k of n calls".

--patch-zone-param: on PostgreSQL (psycopg 3) the Flux Vision queries' `(:zone IS NULL OR zone = :zone)`
fails with AmbiguousParameter whatever the zone (the parameter is sent untyped), so the visitors and
origins charts, and the callback that computes all six, fail there. With this option the bench rewrites
that condition in its own process to `(CAST(:zone AS VARCHAR) IS NULL OR zone = :zone)` before the query
runs (the app's files are unchanged) and labels the rows "(patched)": what those charts would cost once
the query types its parameter. Leaves nothing behind but the PostgreSQL database (its tables are reset at
the start of each case).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (
    ensure_postgres_database,
    hwm_mib,
    percentile,
    reset_database,
    rss_mib,
    split_output,
)

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_footfall"
FOOTFALL, COMMERCE = "frequentation", "commerces"  # the stories, and the groups of rollups the publish builds
ROLLUPS = {
    FOOTFALL: ("footfall_point", "footfall_daily", "footfall_hourly", "footfall_visitors", "footfall_origin"),
    COMMERCE: ("commerce_unit", "commerce_stock", "commerce_mix", "commerce_point", "commerce_sirene"),
}
GOAL_WARM_MS, GOAL_COLD_MS = 30.0, 300.0
# psycopg sends `:zone` untyped: PostgreSQL cannot type `$n IS NULL` (AmbiguousParameter), whatever the value.
# With --patch-zone-param the bench rewrites it in its own process (never in the app's files) to time the
# two Flux Vision charts and the callback as they would be once the query types its parameter.
UNTYPED_ZONE = "(:zone IS NULL OR zone = :zone)"
TYPED_ZONE = "(CAST(:zone AS VARCHAR) IS NULL OR zone = :zone)"
LANG = "fr"


# --- the files ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Files:
    first: int
    last: int
    manifest: Path  # {slug: file path}
    lines: dict[str, int]  # data lines of each file (header left out)
    mib: float
    seconds: float  # to generate and write


def write_files(work: Path, first: int, last: int) -> Files:
    """The demo files of `flask datasets demo-footfall --years FIRST-LAST`, written to `work`."""
    from webapp.demo import seed

    began = time.perf_counter()
    generated = seed.Generated(range(first, last + 1))
    paths, lines, size = {}, {}, 0
    for entry in seed.load_catalogue():
        if "generated" in entry:
            content, name = generated.file(entry["generated"])
            path = work / name
            path.write_bytes(content)
            paths[entry["slug"]] = str(path)
            lines[entry["slug"]] = content.count(b"\n") - 1 + (not content.endswith(b"\n"))
            size += len(content)
            del content
    del generated
    manifest = work / "manifest.json"
    manifest.write_text(json.dumps(paths))
    return Files(first, last, manifest, lines, size / 2**20, time.perf_counter() - began)


# --- the database --------------------------------------------------------------------------------------


# --- publishing, in a child process ------------------------------------------------------------------------

@dataclass(frozen=True)
class Publish:
    stage_s: dict[str, float]  # per dataset
    rows: dict[str, int]  # rows of each staged version, as stage counted them
    publish_s: float  # the one publish of the four versions: builds the rollups and writes them
    build_s: dict[str, float]  # {group: seconds of its ensure_build (computing and writing its rollups)}
    child_wall_s: float  # the whole child: interpreter, imports, reading the files, stage, publish
    child_cpu_s: float
    peak_mib: float  # VmHWM of the child at its end: its own peak RSS since exec
    maxrss_mib: float  # ru_maxrss from wait4: max(the child's peak, the parent's peak when it was started)
    before_mib: float  # the child's RSS after its imports and reading the files, just before stage
    versions: dict[str, int]
    builds: dict[str, int]  # {group: its build}
    load: float  # 1-minute load average when it ended

    @property
    def seconds(self) -> float:
        return sum(self.stage_s.values()) + self.publish_s


def publish_child(url: str, manifest: Path, first: int, last: int) -> None:
    """In the child: the calls of `flask datasets demo-footfall` on the files; one JSON line on stdout."""
    from webapp.data import publishing
    from webapp.data.db import Database

    # Each group's `ensure_build` is wrapped, in this process only, to time it (comptage-sites feeds the
    # commerce rollups too).
    ensure_build, builds, build_s = publishing.ensure_build, {}, {}

    def timed_ensure_build(conn, group, versions, frames=None):
        began = time.perf_counter()
        builds[group.name] = ensure_build(conn, group, versions, frames)
        build_s[group.name] = time.perf_counter() - began
        return builds[group.name]

    publishing.ensure_build = timed_ensure_build
    files = {slug: Path(p) for slug, p in json.loads(manifest.read_text()).items()}
    contents = {slug: path.read_bytes() for slug, path in files.items()}
    before = rss_mib()
    db = Database(url)
    stage_s, rows, versions = {}, {}, {}
    try:
        for slug, path in files.items():
            began = time.perf_counter()
            staged = publishing.stage(
                db, slug, contents.pop(slug), path.name, "bench", note=f"Données de démonstration {first}-{last}.",
                build=False, coverage=f"{first} – {last}", is_demo=True)
            stage_s[slug] = time.perf_counter() - began
            rows[slug], versions[slug] = staged.row_count, staged.version
        began = time.perf_counter()
        publishing.publish(db, versions, "bench")
        publish_s = time.perf_counter() - began
    finally:
        db.dispose()
    print(json.dumps({"stage_s": stage_s, "rows": rows, "publish_s": publish_s, "build_s": build_s,
                      "before_mib": before, "hwm_mib": hwm_mib(), "versions": versions, "builds": builds}))


def run_publish(url: str, files: Files, log: Path) -> Publish:
    command = [sys.executable, str(Path(__file__).resolve()), "--publish-child", "--database-url", url,
               "--manifest", str(files.manifest), "--years", f"{files.first}-{files.last}"]
    with open(log, "wb") as err:
        began = time.monotonic()
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=err)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - began
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code != 0:
        raise RuntimeError(f"publishing failed (exit {code}):\n{log.read_text(errors='replace')[-4000:]}")
    r = json.loads(out.decode().strip().splitlines()[-1])
    return Publish(r["stage_s"], r["rows"], r["publish_s"], r["build_s"], wall, usage.ru_utime + usage.ru_stime,
                   r["hwm_mib"], usage.ru_maxrss / 1024, r["before_mib"], r["versions"], r["builds"],
                   os.getloadavg()[0])


def rollup_rows(url: str, builds: dict[str, int]) -> dict[str, tuple[int, int]]:
    """{table: (rows of its group's build, rows of every build)} for the rollups the publish built."""
    from webapp.data.db import Database

    db = Database(url)
    try:
        return {t: (int(db.scalar(f"SELECT COUNT(*) FROM {t} WHERE build_id = :b", {"b": build})),
                    int(db.scalar(f"SELECT COUNT(*) FROM {t}")))
                for group, build in builds.items() for t in ROLLUPS.get(group, ())}
    finally:
        db.dispose()


# --- latency ------------------------------------------------------------------------------------------


@dataclass
class Statement:
    ms: float
    rows: int
    sql: str
    params: dict
    label: str  # the filter of the call it ran in


@dataclass
class Sample:
    ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)  # time in Database.query_df / scalar during each call
    statements: list[int] = field(default_factory=list)  # SQL statements during each call
    groups: list[int] = field(default_factory=list)  # of each call's filter: its period's months, its year
    results: set[str] = field(default_factory=set)  # digests of the answers: do the filters give different results?
    max_kib: float = 0.0  # the largest answer, as JSON
    slowest_sql: Statement | None = None
    slowest: tuple[float, str] = (0.0, "")
    errors: int = 0  # calls that raised (or answered an HTTP error): not in `ms`
    first_error: str = ""
    error_keys: set[str] = field(default_factory=set)  # what the failing filters share (zones, years)

    def fail(self, error: str, label: str, key: str) -> None:
        self.errors += 1
        self.error_keys.add(key)
        if not self.first_error:
            self.first_error = f"{error} (filter {label})"

    def add(self, seconds: float, result: object, group: int, label: str, sql: list[Statement]) -> None:
        ms = seconds * 1000
        self.ms.append(ms)
        self.groups.append(group)
        self.sql_ms.append(sum(s.ms for s in sql))
        self.statements.append(len(sql))
        raw = json.dumps(result, sort_keys=True, default=str).encode()
        self.results.add(hashlib.sha1(raw).hexdigest())
        self.max_kib = max(self.max_kib, len(raw) / 1024)
        for s in sql:
            if self.slowest_sql is None or s.ms > self.slowest_sql.ms:
                self.slowest_sql = s
        if ms > self.slowest[0]:
            self.slowest = (ms, label)

    def p(self, q: float) -> float:
        return percentile(self.ms, q)

    def top(self) -> float:
        return max(self.ms) if self.ms else float("nan")

    def by_group(self) -> dict[int, float]:
        """p95 per period length (footfall) or per year (commerce)."""
        return {g: percentile([v for v, k in zip(self.ms, self.groups) if k == g], .95) for g in sorted(set(self.groups))}


class SqlLog:
    """Times every `Database.query_df` and `Database.scalar` while installed (the class's methods are wrapped)."""

    def __init__(self, patch_zone: bool = False) -> None:
        self.calls: list[Statement] = []
        self.label = ""
        self.patch_zone = patch_zone
        self.patched = 0  # statements rewritten
        self._saved = None

    def install(self) -> None:
        from webapp.data.db import Database

        self._saved = (Database.query_df, Database.scalar)
        query_df, scalar = self._saved
        log = self

        def timed_query_df(db, sql, params=None):
            if log.patch_zone and UNTYPED_ZONE in sql:
                sql = sql.replace(UNTYPED_ZONE, TYPED_ZONE)
                log.patched += 1
            began = time.perf_counter()
            df = query_df(db, sql, params)
            log.calls.append(Statement((time.perf_counter() - began) * 1000, len(df), sql, dict(params or {}), log.label))
            return df

        def timed_scalar(db, sql, params=None):
            began = time.perf_counter()
            value = scalar(db, sql, params)
            log.calls.append(Statement((time.perf_counter() - began) * 1000, 1, sql, dict(params or {}), log.label))
            return value

        Database.query_df, Database.scalar = timed_query_df, timed_scalar

    def uninstall(self) -> None:
        from webapp.data.db import Database

        if self._saved:
            Database.query_df, Database.scalar = self._saved
            self._saved = None

    def take(self) -> list[Statement]:
        calls, self.calls = self.calls, []
        return calls


def callback_payload(callback: dict, values: dict[str, str], search: str = "") -> str:
    outputs = split_output(callback["output"])
    inputs = [dict(i, value=values[f"{i['id']}.{i['property']}"]) for i in callback["inputs"]]
    return json.dumps({
        "output": callback["output"],
        "outputs": outputs if len(outputs) > 1 or callback["output"].startswith("..") else outputs[0],
        "inputs": inputs,
        "state": [dict(s, value=search) for s in callback["state"]],
        "changedPropIds": [f"{callback['inputs'][0]['id']}.{callback['inputs'][0]['property']}"],
    })


def error_text(exc: BaseException) -> str:
    """The exception's type and first line (a SQLAlchemy error: the driver's error)."""
    orig = getattr(exc, "orig", None)
    shown = orig if orig is not None else exc
    return f"{type(shown).__module__}.{type(shown).__name__}: {str(shown).splitlines()[0] if str(shown) else ''}"


def explain(db, statement: Statement) -> list[str]:
    """The plan of a statement with its parameters: EXPLAIN QUERY PLAN (SQLite), EXPLAIN ANALYZE (PostgreSQL)."""
    try:
        if db.dialect == "sqlite":
            df = db.query_df("EXPLAIN QUERY PLAN " + statement.sql, statement.params)
            return [str(d) for d in df["detail"]]
        df = db.query_df("EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.params)
        return [str(v) for v in df.iloc[:, 0]]
    except Exception as exc:  # noqa: BLE001 - a plan is a detail: never lose the run for it
        return [f"(EXPLAIN failed: {type(exc).__name__}: {exc})"]


@dataclass
class ChartLatency:
    slug: str
    cold: Sample = field(default_factory=Sample)
    warm: Sample = field(default_factory=Sample)
    plan: list[str] = field(default_factory=list)


@dataclass
class Latency:
    story: str
    charts: list[ChartLatency]
    described: str  # the filters, for the details
    by: str  # what Sample.groups holds: "period" (its months) or "year"
    post_cold: Sample = field(default_factory=Sample)
    post_warm: Sample = field(default_factory=Sample)
    cache_entries_cold_post: int = 0
    post_plan: list[str] = field(default_factory=list)  # of the cold callback's slowest statement
    patched: int = 0  # statements whose zone parameter the bench typed (--patch-zone-param)
    slowest: list[tuple[float, str, str]] = field(default_factory=list)  # (ms, what, filter)

    def group(self, key: int) -> str:
        return f"{key} mo" if self.by == "period" else str(key)


Call = tuple[float, object, list[Statement], str]  # (seconds, answer, its SQL, error)


@dataclass(frozen=True)
class Plan:
    """What timing a story takes: its charts, its server callback, its filters in order and how to name them."""

    story: str
    charts: list
    callback: dict  # as /_dash-dependencies describes it
    filters: list  # the order they are timed in
    post_filters: list  # those the callback can take
    label: Callable[[Any], str]
    values: Callable[[Any], dict[str, str]]  # the callback's input values ({"id.property": value})
    group: Callable[[Any], int]  # what p95 is broken down by
    error_key: Callable[[Any], str]  # what failing filters are listed by
    by: str
    described: str


class Harness:
    """An app from `webapp.create_app` (SimpleCache, in-process), its test client and the SQL log."""

    def __init__(self, url: str, patch_zone: bool) -> None:
        from webapp import create_app
        from webapp.settings import Settings

        self.server = create_app(Settings.from_env(database_url=url, cache_type="SimpleCache", seed_on_start=False,
                                                   secret_key="bench")).server
        self.server.config["PROPAGATE_EXCEPTIONS"] = True  # a failing callback raises here instead of answering 500
        self.client = self.server.test_client()
        self.log = SqlLog(patch_zone)
        self.dependencies = self.client.get("/_dash-dependencies").get_json()

    def callback(self, inputs: set[str]) -> dict:
        """The one server callback whose inputs are `inputs` ("id.property")."""
        found = [d for d in self.dependencies if {f"{i['id']}.{i['property']}" for i in d["inputs"]} == inputs
                 and not d.get("clientside_function")]
        if len(found) != 1:
            raise RuntimeError(f"expected one server callback on {sorted(inputs)}, found {len(found)}")
        return found[0]

    def view(self, view: Callable, f: Any, label: str, clear: bool) -> Call:
        from webapp.extensions import cache

        with self.server.test_request_context():  # a fresh `g`: dataset versions and builds read as a request does
            if clear:
                cache.clear()
            self.log.take()
            self.log.label = label
            began = time.perf_counter()
            try:
                result = view(f, LANG)
            except Exception as exc:  # noqa: BLE001 - a failing chart is counted and reported
                return time.perf_counter() - began, None, self.log.take(), error_text(exc)
            return time.perf_counter() - began, result, self.log.take(), ""

    def post(self, callback: dict, values: dict[str, str], label: str, clear: bool) -> Call:
        from webapp.extensions import cache

        if clear:
            with self.server.app_context():
                cache.clear()
        body = callback_payload(callback, values)
        self.log.take()
        self.log.label = label
        began = time.perf_counter()
        try:
            r = self.client.post("/_dash-update-component", data=body, content_type="application/json")
        except Exception as exc:  # noqa: BLE001 - a failing callback is counted and reported
            return time.perf_counter() - began, None, self.log.take(), error_text(exc)
        spent = time.perf_counter() - began
        if r.status_code != 200:
            return spent, None, self.log.take(), f"HTTP {r.status_code}: {r.get_data(as_text=True)[:200]}"
        return spent, r.get_json()["response"], self.log.take(), ""

    def cache_entries(self) -> int:
        from webapp.extensions import cache

        with self.server.app_context():
            return len(getattr(cache.cache, "_cache", {}))

    def close(self) -> None:
        self.log.uninstall()
        self.server.extensions["arras_db"].dispose()


def footfall_plan(h: Harness, seed: int) -> Plan:
    """The footfall filters: points x periods x zones x categories x events, period lengths in turn."""
    from webapp.charts import charts_of
    from webapp.charts import footfall as fc
    from webapp.data.footfall import ALL, CATEGORIES, FootfallFilter
    from webapp.layouts import footfall as page

    # The filters' ids as the page names them (the event select was `frequentation-evenement` until it was
    # renamed, not to share the event chart's id).
    ids = {"point": page.POINT_ID, "first": page.FROM_ID, "last": page.TO_ID, "event": page.EVENT_ID,
           "zone": page.ZONE_ID, "category": page.CATEGORY_ID}
    callback = h.callback({f"{i}.value" for i in ids.values()})
    charts = charts_of(FOOTFALL)
    if not charts:
        raise RuntimeError(f"no chart registered for the story {FOOTFALL!r}")
    with h.server.test_request_context():
        span = fc.months()
        sites = sorted(fc.points())
        zone_names = fc.zones()
        event_keys = list(fc.events())
        default_event = fc.default_event()
    if not span or not sites or not event_keys:
        raise RuntimeError("the footfall story has no months, points or events")
    rng = random.Random(seed)

    # Periods of 1, 3, 12 and 60 months (as far as the data goes): at the start, the middle, the end.
    periods: dict[tuple[str, str], int] = {}
    for length in (1, 3, 12, 60):
        n = min(length, len(span))
        for start in (len(span) - n, 0, rng.randrange(0, len(span) - n + 1)):
            periods[(span[start], span[start + n - 1])] = n
    points = [None, *rng.sample(sites, min(3, len(sites)))]
    zones = [None, *rng.sample(zone_names, min(2, len(zone_names)))]
    others = [k for k in event_keys if k != default_event]
    last_day = date.fromisoformat(span[-1] + "-01") - timedelta(days=1)  # the day before the last month
    custom = f"{last_day - timedelta(days=13)}:{last_day}"
    events = [default_event, *rng.sample(others, min(2, len(others))), custom]
    categories = [None, *CATEGORIES]
    by_length: dict[int, list[FootfallFilter]] = {}
    for (a, b), n in periods.items():
        by_length.setdefault(n, []).extend(
            FootfallFilter(p, a, b, z, c, e) for p in points for z in zones for c in categories for e in events)
    for group in by_length.values():
        rng.shuffle(group)
    combos = []  # the period lengths in turn: 1, 3, 12, 60, 1, ...
    for i in range(max(len(g) for g in by_length.values())):
        combos += [g[i] for _, g in sorted(by_length.items()) if i < len(g)]
    category_param = {v: k for k, v in fc.CATEGORY_PARAM.items()}

    def label(f: FootfallFilter) -> str:
        return (f"{f.point or 'tous'} {f.first}..{f.last} zone={f.zone or 'toutes'} "
                f"cat={f.category or 'toutes'} evt={f.event}")

    def values_of(f: FootfallFilter) -> dict[str, str]:
        values = {"point": f.point or ALL, "first": f.first, "last": f.last, "event": f.event,
                  "zone": f.zone or ALL, "category": category_param[f.category] if f.category else ALL}
        return {f"{ids[k]}.value": v for k, v in values.items()}

    described = (f"{len(span)} months, {len(sites)} points, zones {zone_names}, {len(event_keys)} events; "
                 f"{len(periods)} periods {', '.join(f'{a}..{b}' for a, b in periods)}; {len(combos):,} combinations")
    return Plan(FOOTFALL, charts, callback, combos,
                [f for f in combos if ":" not in f.event],  # the callback has no input for a range of days
                label, values_of, lambda f: periods[(f.first, f.last)], lambda f: f"zone {f.zone or 'toutes'}",
                "period", described)


def commerce_plan(h: Harness) -> Plan | None:
    """The commerce filters: chosen year-ends x the three perimeters (None while no commerce chart exists)."""
    from webapp.charts import charts_of
    from webapp.charts import commerce as cc
    from webapp.charts import footfall as fc
    from webapp.data.commerce import PERIMETERS
    from webapp.layouts import commerce as page

    charts = charts_of(COMMERCE)
    if not charts:
        return None
    callback = h.callback({f"{page.YEAR_ID}.value", f"{page.PERIMETER_ID}.value"})
    with h.server.test_request_context():
        span = cc.years()
        counted = {int(m[:4]) for m in fc.months()}  # the years the footfall rollups cover
        if not span:
            raise RuntimeError("the commerce story has no year")
        with_footfall = [y for y in span if y in counted]
        without = [y for y in span if y not in counted]
        roles: dict[int, list[str]] = {}
        for role, chosen in (("first", span[:1]), ("middle", [span[len(span) // 2]]), ("last", span[-1:]),
                             ("first counted", with_footfall[:1]), ("last counted", with_footfall[-1:]),
                             ("latest not counted", without[-1:])):
            for y in chosen:
                roles.setdefault(y, []).append(role)
        years = sorted(roles)
        # Every chosen year in turn, the perimeter rotating: each (year, perimeter) once, parsed as a URL is.
        combos = [cc.parse_filters({cc.PARAM_YEAR: str(y), cc.PARAM_PERIMETER: PERIMETERS[(i + j) % len(PERIMETERS)]})
                  for j in range(len(PERIMETERS)) for i, y in enumerate(years)]

    def values_of(f: Any) -> dict[str, str]:
        return {f"{page.YEAR_ID}.value": str(f.year), f"{page.PERIMETER_ID}.value": f.perimeter}

    described = (f"year-ends {span[0]}-{span[-1]}, footfall counted in "
                 f"{', '.join(map(str, with_footfall)) or 'none'}; chosen "
                 + ", ".join(f"{y} ({', '.join(roles[y])}; {'footfall' if y in counted else 'no footfall'})"
                             for y in years)
                 + f" x perimeters {', '.join(PERIMETERS)}; {len(combos)} combinations")
    return Plan(COMMERCE, charts, callback, combos, combos, lambda f: f"{f.year} {f.perimeter}", values_of,
                lambda f: f.year, lambda f: f"year {f.year}", "year", described)


def time_story(h: Harness, plan: Plan, cold: int, warm_filters: int, warm_repeats: int) -> Latency:
    """Each chart's view and the callback, cold over `cold` filters then warm over the first `warm_filters`."""
    out = Latency(plan.story, [ChartLatency(c.slug) for c in plan.charts], plan.described, plan.by)

    def record(sample: Sample, what: str, f: Any, call: Call) -> None:
        spent, result, sql, error = call
        if error:
            sample.fail(error, plan.label(f), plan.error_key(f))
            return
        sample.add(spent, result, plan.group(f), plan.label(f), sql)
        out.slowest.append((spent * 1000, what, plan.label(f)))

    def view(chart, f: Any, clear: bool) -> Call:
        return h.view(chart.view, f, plan.label(f), clear)

    def post(f: Any, clear: bool) -> Call:
        return h.post(plan.callback, plan.values(f), plan.label(f), clear)

    # Warm the process up (imports, Plotly's first figure, connection pools): not timed.
    for f in plan.filters[:4]:
        for chart in plan.charts:
            view(chart, f, True)
    for f in plan.post_filters[:2]:
        post(f, True)

    for chart, lat in zip(plan.charts, out.charts):
        for f in (plan.filters[i % len(plan.filters)] for i in range(cold)):
            record(lat.cold, f"{chart.slug} cold", f, view(chart, f, True))
    for f in (plan.post_filters[i % len(plan.post_filters)] for i in range(cold)):
        record(out.post_cold, "callback cold", f, post(f, True))

    for chart, lat in zip(plan.charts, out.charts):
        for f in plan.filters[:warm_filters]:
            view(chart, f, True)  # fills the cache for this filter
            for _ in range(warm_repeats):
                record(lat.warm, f"{chart.slug} warm", f, view(chart, f, False))
    for f in plan.post_filters[:warm_filters]:
        post(f, True)
        for _ in range(warm_repeats):
            record(out.post_warm, "callback warm", f, post(f, False))

    post(plan.post_filters[0], True)
    out.cache_entries_cold_post = h.cache_entries()
    out.slowest.sort(reverse=True)
    return out


def met(cold: Sample, warm: Sample) -> bool:
    return cold.p(.95) <= GOAL_COLD_MS and warm.p(.95) <= GOAL_WARM_MS


def explain_misses(db, out: Latency, always: bool) -> None:
    """The plan of the slowest cold statement of each chart, and of the callback, missing a goal (or of all)."""
    for lat in out.charts:
        if (always or not met(lat.cold, lat.warm)) and lat.cold.slowest_sql is not None:
            lat.plan = explain(db, lat.cold.slowest_sql)
    if (always or not met(out.post_cold, out.post_warm)) and out.post_cold.slowest_sql is not None:
        out.post_plan = explain(db, out.post_cold.slowest_sql)


def measure(url: str, cold: int, warm_filters: int, warm_repeats: int, seed: int, always_explain: bool,
            patch_zone: bool = False) -> list[Latency]:
    """The footfall story, then the commerce story (when it has charts), on one app."""
    h = Harness(url, patch_zone)
    try:
        plans = [p for p in (footfall_plan(h, seed), commerce_plan(h)) if p is not None]
        h.log.install()
        out = [time_story(h, plan, cold, warm_filters, warm_repeats) for plan in plans]
        out[0].patched = h.log.patched  # only the footfall queries have the zone condition
        h.log.uninstall()
        for lat in out:
            explain_misses(h.server.extensions["arras_db"], lat, always_explain)
        return out
    finally:
        h.close()


# --- the report -------------------------------------------------------------------------------------

@dataclass
class Case:
    database: str
    reset_s: float
    publish: Publish
    rows: dict[str, tuple[int, int]]
    stories: list[Latency]  # footfall, then commerce when it has charts


def verdict(cold: Sample, warm: Sample) -> str:
    failed = cold.errors + warm.errors
    if failed:
        return f"ERROR in {failed} of {failed + len(cold.ms) + len(warm.ms)} calls"
    c, w = cold.p(.95) <= GOAL_COLD_MS, warm.p(.95) <= GOAL_WARM_MS
    if c and w:
        return "met"
    return "MISSED: " + " and ".join(x for x, ok in (("cold", c), ("warm", w)) if not ok)


def ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"


def callback_name(lat: Latency) -> str:
    return f"callback update_charts of /{lat.story} (the {len(lat.charts)} at once)"


def latency_table(cases: list[Case]) -> str:
    head = ["database", "chart", "cold p50", "cold p95", "cold max", "warm p50", "warm p95", "warm max",
            "goals (p95: cold ≤ 300, warm ≤ 30)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for c in cases:
        for story in c.stories:
            rows = [(lat.slug, lat.cold, lat.warm) for lat in story.charts]
            rows.append((callback_name(story), story.post_cold, story.post_warm))
            for name, cold, warm in rows:
                lines.append("| " + " | ".join([
                    c.database, name, ms(cold.p(.5)), ms(cold.p(.95)), ms(cold.top()),
                    ms(warm.p(.5)), ms(warm.p(.95)), ms(warm.top()), verdict(cold, warm)]) + " |")
    return "\n".join(lines)


def publish_table(cases: list[Case]) -> str:
    head = ["database", "measure rows", "Flux Vision rows", "stage s (4 files)", "publish s (rollups)",
            "of which footfall / commerce builds s", "total s", "peak RSS MiB (VmHWM)", "RSS before stage MiB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for c in cases:
        p = c.publish
        builds = " / ".join(f"{p.build_s[g]:.1f}" if g in p.build_s else "–" for g in (FOOTFALL, COMMERCE))
        lines.append("| " + " | ".join([
            c.database, f"{p.rows.get('comptage-mesures', 0):,}", f"{p.rows.get('flux-vision', 0):,}",
            f"{sum(p.stage_s.values()):.1f}", f"{p.publish_s:.1f}", builds, f"{p.seconds:.1f}", f"{p.peak_mib:,.0f}",
            f"{p.before_mib:,.0f}"]) + " |")
    return "\n".join(lines)


def details(c: Case) -> str:
    p = c.publish
    stages = ", ".join(f"{slug} v{p.versions[slug]} {p.rows[slug]:,} rows {s:.1f} s" for slug, s in p.stage_s.items())
    builds = ", ".join(f"{g} build {b} in {p.build_s[g]:.1f} s" for g, b in p.builds.items())
    rows = ", ".join(f"{t} {own:,} ({every:,} in all builds)" for t, (own, every) in c.rows.items())
    lines = [
        f"{c.database}:",
        (f"  database reset + migrate + seed (13 months of demo footfall, the demo shop inventory and Sirene "
         f"extract) {c.reset_s:.1f} s"),
        f"  stage: {stages}",
        (f"  publish ({builds}: build_tables + writing the rollups) {p.publish_s:.1f} s; child process "
         f"{p.child_wall_s:.1f} s wall, {p.child_cpu_s:.1f} s CPU; RSS {p.before_mib:,.0f} MiB before stage "
         f"(imports + the files' bytes), peak {p.peak_mib:,.0f} MiB (VmHWM; wait4 ru_maxrss says "
         f"{p.maxrss_mib:,.0f} MiB, the parent's peak included); load {p.load:.2f}"),
        f"  rollup rows of the builds: {rows}",
    ]
    for story in c.stories:
        lines += story_details(story)
    return "\n".join(lines)


def story_details(lat: Latency) -> list[str]:
    def n(s: Sample) -> str:
        return f"{len(s.ms)} calls, {len(s.results)} distinct" + (f", {s.errors} failed" if s.errors else "")

    def errors(s: Sample, what: str) -> list[str]:
        if not s.errors:
            return []
        return [f"      {what}: {s.errors} failed, with {', '.join(sorted(s.error_keys))}; first error: {s.first_error}"]

    def by(s: Sample) -> str:
        return f"p95 by {lat.by} " + ", ".join(f"{lat.group(k)} {v:.0f}" for k, v in s.by_group().items())

    def slowest(s: Sample, plan: list[str]) -> list[str]:
        slow = s.slowest_sql
        if slow is None:
            return []
        out = [f"      slowest statement {slow.ms:.1f} ms, {slow.rows:,} rows: {' '.join(slow.sql.split())[:160]}"]
        if plan:
            out.append(f"      plan of it (params {json.dumps(slow.params, default=str)}):")
            out += [f"        {line}" for line in plan]
        return out

    lines = [f"  /{lat.story} filters: {lat.described}; one cold POST leaves {lat.cache_entries_cold_post} cache entries"]
    for ch in lat.charts:
        s, w = ch.cold, ch.warm
        if not s.ms and not w.ms:
            lines.append(f"  {ch.slug}: every call failed")
            lines += errors(s, "cold") + errors(w, "warm")
            continue
        lines.append(
            f"  {ch.slug}: cold {n(s)}, SQL p50 {percentile(s.sql_ms, .5):.1f} ms of p50 {s.p(.5):.1f} ms "
            f"({percentile(s.statements, .5):.0f} statements a call), {by(s)}; warm {n(w)}, SQL p50 "
            f"{percentile(w.sql_ms, .5):.1f} ms; largest answer {s.max_kib:,.0f} KiB; slowest cold call "
            f"{s.slowest[0]:.0f} ms ({s.slowest[1]})")
        lines += errors(s, "cold") + errors(w, "warm") + slowest(s, ch.plan)
    for name, s in (("callback cold", lat.post_cold), ("callback warm", lat.post_warm)):
        if not s.ms:
            lines.append(f"  {name}: every call failed")
            lines += errors(s, "callback")
            continue
        lines.append(f"  {name}: {n(s)}, SQL p50 {percentile(s.sql_ms, .5):.1f} ms "
                     f"({percentile(s.statements, .5):.0f} statements a call), {by(s)}; largest answer "
                     f"{s.max_kib:,.0f} KiB")
        lines += errors(s, "callback") + (slowest(s, lat.post_plan) if name == "callback cold" else [])
    if lat.patched:
        lines.append(f"  --patch-zone-param: {lat.patched:,} statements had their zone parameter typed in this process "
                     f"({UNTYPED_ZONE} -> {TYPED_ZONE}); the app's code is unchanged")
    lines.append("  slowest calls: " + "; ".join(f"{what} {ms:.0f} ms ({label})" for ms, what, label in lat.slowest[:4]))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true",
                        help="a fast check: SQLite (unless --databases), years 2024-2025, 20 cold calls, 5 warm filters x 5")
    parser.add_argument("--databases", default=None,
                        help="comma-separated: sqlite, postgresql (default both; --quick: sqlite)")
    parser.add_argument("--years", default="2021-2025", help="first and last year of the demo files")
    parser.add_argument("--postgres-url", default=POSTGRES_URL,
                        help="its tables are dropped: never point it at a database someone else uses")
    parser.add_argument("--cold", type=int, default=60, help="cold calls of each chart and of the callback")
    parser.add_argument("--warm-filters", type=int, default=20, help="filters timed warm")
    parser.add_argument("--warm-repeats", type=int, default=10, help="warm calls per filter")
    parser.add_argument("--seed", type=int, default=7, help="seed of the filters' choice and order")
    parser.add_argument("--explain", action="store_true", help="print the plan of every chart's slowest statement")
    parser.add_argument("--patch-zone-param", action="store_true",
                        help="type the Flux Vision queries' :zone parameter in this process (a workaround of "
                             "AmbiguousParameter on PostgreSQL, never written to the app): rows marked '(patched)'")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (files, SQLite, logs)")
    parser.add_argument("--publish-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--manifest", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.quick:
        args.years, args.cold, args.warm_filters, args.warm_repeats = "2024-2025", 20, 5, 5
        args.databases = args.databases or "sqlite"
    args.databases = args.databases or "sqlite,postgresql"
    try:
        first, last = (int(y) for y in args.years.split("-"))
    except ValueError:
        parser.error("--years: two years, e.g. 2021-2025")
    if args.publish_child:
        publish_child(args.database_url, Path(args.manifest), first, last)
        return 0

    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    for d in databases:
        if d not in ("sqlite", "postgresql"):
            parser.error(f"unknown database {d!r}")

    import logging
    import warnings

    logging.getLogger("alembic").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    started = time.monotonic()
    print(f"start: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs",
          flush=True)
    work = Path(tempfile.mkdtemp(prefix="arras-footfall-"))
    cases: list[Case] = []
    try:
        files = write_files(work, first, last)
        print(f"files {first}-{last}: " + ", ".join(f"{s} {n:,} lines" for s, n in files.lines.items())
              + f"; {files.mib:.0f} MiB, generated in {files.seconds:.1f} s", flush=True)
        for d in databases:
            if d == "sqlite":
                url = f"sqlite:///{work / 'bench-footfall.sqlite3'}"
            else:
                url = args.postgres_url
                ensure_postgres_database(url)
            reset_s = reset_database(url)
            publish = run_publish(url, files, work / f"publish-{d}.log")
            print(f"{d}: seeded in {reset_s:.1f} s; published in {publish.seconds:.1f} s, peak RSS "
                  f"{publish.peak_mib:,.0f} MiB; timing the charts…", flush=True)
            rows = rollup_rows(url, publish.builds)
            stories = measure(url, args.cold, args.warm_filters, args.warm_repeats, args.seed, args.explain,
                              args.patch_zone_param)
            cases.append(Case(d + (" (patched)" if args.patch_zone_param else ""), reset_s, publish, rows, stories))
            if d == "sqlite":
                Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)

        print()
        print(f"Footfall and commerce charts on the {first}-{last} demo footfall data (latency in ms):")
        print()
        print(latency_table(cases))
        print()
        if any(s.errors for c in cases for lat in c.stories
               for s in (lat.post_cold, lat.post_warm, *(x for ch in lat.charts for x in (ch.cold, ch.warm)))):
            print("ERROR: some calls raised; p50/p95/max are over the calls that answered ('–': none did). The first "
                  "error of each is in the details below.")
            print()
        if any(len(c.stories) < 2 for c in cases):
            print("Commerce charts: none registered (no chart of the story 'commerces' in webapp.charts): not measured.")
            print()
        print("cold = cache.clear() before each call (process, imports and connection pool warm); warm = the same "
              "call repeated after it filled the cache. Each chart is its Chart.view(f, 'fr') in its own "
              "test_request_context; each callback is POST /_dash-update-component of the story's update_charts "
              "(its charts and the status) through the Flask test client. SimpleCache, one process, no network. "
              "Commerce filters: chosen year-ends (with and without footfall counted) x the three perimeters.")
        print()
        print(f"Publishing the {first}-{last} files (the calls of `flask datasets demo-footfall`, files generated "
              "beforehand):")
        print()
        print(publish_table(cases))
        print()
        print("stage = validation, diff against the served version and keeping the file, for the four datasets; "
              "publish = one transaction building the rollups (build_tables) and writing them: the footfall ones, "
              "and the commerce ones again (they read comptage-sites). Peak RSS = the child's VmHWM at its end (its "
              "own peak since exec: imports and the files' bytes included).")
        print()
        for c in cases:
            print(details(c))
        print()
        print(f"run time {time.monotonic() - started:.0f} s; end load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        return 0
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
