"""Latency of the footfall story's six charts and of its callback on the 5-year hourly data, and the cost
of publishing the 5-year files.

Usage: python bench/footfall_latency.py [--quick] [--databases sqlite,postgresql] [--years 2021-2025]
       [--cold N] [--warm-filters N] [--warm-repeats N] [--postgres-url URL] [--seed S] [--explain]
       [--patch-zone-param] [--keep]

The issue asks for the p95 callback latency of every footfall and commerce chart on the 5-year hourly
data, warm and cold, on SQLite and PostgreSQL: goals warm <= 30 ms and cold <= 300 ms at p95; and the
publish time and peak memory of the 5-year file. There is no commerce chart yet (the script says so,
from the chart registry): it measures the six footfall charts.

For each database (a fresh SQLite file in a temporary folder; PostgreSQL at --postgres-url, its tables
dropped first as `tests/conftest.py::reset_database` does, then migrated and seeded: the seed publishes
13 months of demo footfall):

* the demo files of --years (default 2021-2025: about 1.36 million hourly measure rows and 343,000 Flux
  Vision rows) are generated once, in this process, with `webapp.data.seed.Generated` as
  `flask datasets demo-footfall` does, and written to the temporary folder;
* a child process reads them and makes the calls of `flask datasets demo-footfall`: `publishing.stage`
  of the four datasets (comptage-sites, comptage-canaux, comptage-mesures, flux-vision; `build=False`,
  demo coverage and label), then one `publishing.publish` of the four versions (which builds the
  rollups: `webapp.data.importers.footfall.build_tables`, then writes them). Reported: stage and publish
  times as the child measures them (without its interpreter start and imports, and without generating
  the files: an editor imports files she has), the child's peak resident memory (VmHWM of
  /proc/self/status read by the child at its end: its own peak since exec, imports and the files' bytes
  included; its RSS just before staging is printed too) and wait4's ru_maxrss (on Linux it carries the
  parent's peak: printed for comparison only);
* times, on an app from `webapp.create_app` (SimpleCache, in-process), each registered chart of the
  story through its `Chart.view(f, "fr")` (what the callback and the widgets call), each in a fresh
  `test_request_context` (so the per-request reading of dataset versions and builds is included), and
  the server callback `update_charts` POSTed to `/_dash-update-component` with the Flask test client (it
  answers the six charts and the status at once). Filters vary over counting points (all, and three
  points), periods of 1, 3, 12 and 60 months (at the start, the middle and the end of the data), Flux
  Vision zones (all, and two), visitor categories (all and each) and events (the default, i.e. the
  latest, two others, and a 14-day range of days); the order is drawn so that each period length comes
  in turn. "cold": `cache.clear()` before each call (the process, imports and connection pool stay
  warm); "warm": the same call repeated after it filled the cache.

Prints a Markdown table (p50 / p95 / max in ms per chart, cold and warm, and whether the goals are met),
the publish table and details: SQL time inside the cold calls, the slowest statement of each chart, the
rows of the rollup tables, p95 by period length, the size of the answers; the query plan (EXPLAIN QUERY
PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL) of the slowest statement of any chart, or of the callback,
missing a goal (of every one with --explain). A call that raises (or a POST answering an HTTP error) is counted as failed,
not timed, and its first error is printed: the table says "ERROR in k of n calls".

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
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

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
STORY = "frequentation"
ROLLUPS = ("footfall_point", "footfall_daily", "footfall_hourly", "footfall_visitors", "footfall_origin")
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
    from webapp.data import seed

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
    child_wall_s: float  # the whole child: interpreter, imports, reading the files, stage, publish
    child_cpu_s: float
    peak_mib: float  # VmHWM of the child at its end: its own peak RSS since exec
    maxrss_mib: float  # ru_maxrss from wait4: max(the child's peak, the parent's peak when it was started)
    before_mib: float  # the child's RSS after its imports and reading the files, just before stage
    versions: dict[str, int]
    build_id: int
    load: float  # 1-minute load average when it ended

    @property
    def seconds(self) -> float:
        return sum(self.stage_s.values()) + self.publish_s


def publish_child(url: str, manifest: Path, first: int, last: int) -> None:
    """In the child: the calls of `flask datasets demo-footfall` on the files; one JSON line on stdout."""
    from webapp.data import publishing
    from webapp.data.db import Database

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
        build = publishing.publish(db, versions, "bench")
        publish_s = time.perf_counter() - began
    finally:
        db.dispose()
    print(json.dumps({"stage_s": stage_s, "rows": rows, "publish_s": publish_s, "before_mib": before,
                      "hwm_mib": hwm_mib(), "versions": versions, "build_id": build}))


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
    return Publish(r["stage_s"], r["rows"], r["publish_s"], wall, usage.ru_utime + usage.ru_stime, r["hwm_mib"],
                   usage.ru_maxrss / 1024, r["before_mib"], r["versions"], r["build_id"], os.getloadavg()[0])


def rollup_rows(url: str, build: int) -> dict[str, tuple[int, int]]:
    """{table: (rows of the build, rows of every build)} for the footfall rollups."""
    from webapp.data.db import Database

    db = Database(url)
    try:
        return {t: (int(db.scalar(f"SELECT COUNT(*) FROM {t} WHERE build_id = :b", {"b": build})),
                    int(db.scalar(f"SELECT COUNT(*) FROM {t}"))) for t in ROLLUPS}
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
    months: list[int] = field(default_factory=list)  # period length of each call's filter
    results: set[str] = field(default_factory=set)  # digests of the answers: do the filters give different results?
    max_kib: float = 0.0  # the largest answer, as JSON
    slowest_sql: Statement | None = None
    slowest: tuple[float, str] = (0.0, "")
    errors: int = 0  # calls that raised (or answered an HTTP error): not in `ms`
    first_error: str = ""
    error_zones: set[str] = field(default_factory=set)  # the zones of the failing filters

    def fail(self, error: str, label: str, zone: str) -> None:
        self.errors += 1
        self.error_zones.add(zone)
        if not self.first_error:
            self.first_error = f"{error} (filter {label})"

    def add(self, seconds: float, result: object, months: int, label: str, sql: list[Statement]) -> None:
        ms = seconds * 1000
        self.ms.append(ms)
        self.months.append(months)
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

    def by_months(self) -> dict[int, float]:
        out = {}
        for m in sorted(set(self.months)):
            out[m] = percentile([v for v, k in zip(self.ms, self.months) if k == m], .95)
        return out


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
    charts: list[ChartLatency]
    post_cold: Sample = field(default_factory=Sample)
    post_warm: Sample = field(default_factory=Sample)
    months: int = 0  # months of the data
    points: int = 0
    zones: list[str] = field(default_factory=list)
    events: int = 0
    filters: int = 0  # combinations drawn from
    cache_entries_cold_post: int = 0
    periods: list[tuple[str, str]] = field(default_factory=list)
    post_plan: list[str] = field(default_factory=list)  # of the cold callback's slowest statement
    patched: int = 0  # statements whose zone parameter the bench typed (--patch-zone-param)
    slowest: list[tuple[float, str, str]] = field(default_factory=list)  # (ms, what, filter)


def measure(url: str, cold: int, warm_filters: int, warm_repeats: int, seed: int, always_explain: bool,
            patch_zone: bool = False) -> Latency:
    from webapp import create_app
    from webapp.charts import charts_of
    from webapp.charts import footfall as fc
    from webapp.data.footfall import ALL, CATEGORIES, FootfallFilter
    from webapp.extensions import cache
    from webapp.layouts import footfall as page
    from webapp.settings import Settings

    # The filters' ids as the page names them (the event select was `frequentation-evenement` until it was
    # renamed, not to share the event chart's id).
    ids = {"point": page.POINT_ID, "first": page.FROM_ID, "last": page.TO_ID, "event": page.EVENT_ID,
           "zone": page.ZONE_ID, "category": page.CATEGORY_ID}
    inputs = {f"{i}.value" for i in ids.values()}
    app = create_app(Settings.from_env(database_url=url, cache_type="SimpleCache", seed_on_start=False,
                                       secret_key="bench"))
    server = app.server
    server.config["PROPAGATE_EXCEPTIONS"] = True  # a failing callback raises here instead of answering 500
    client = server.test_client()
    log = SqlLog(patch_zone)
    try:
        deps = client.get("/_dash-dependencies").get_json()
        found = [d for d in deps if {f"{i['id']}.{i['property']}" for i in d["inputs"]} == inputs
                 and not d.get("clientside_function")]
        if len(found) != 1:
            raise RuntimeError(f"expected one server callback on {sorted(inputs)}, found {len(found)}")
        callback = found[0]
        charts = charts_of(STORY)
        if not charts:
            raise RuntimeError(f"no chart registered for the story {STORY!r}")

        with server.test_request_context():
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
        length_of = dict(periods.items())
        category_param = {v: k for k, v in fc.CATEGORY_PARAM.items()}

        def label(f: FootfallFilter) -> str:
            return (f"{f.point or 'tous'} {f.first}..{f.last} zone={f.zone or 'toutes'} "
                    f"cat={f.category or 'toutes'} evt={f.event}")

        def values_of(f: FootfallFilter) -> dict[str, str]:
            values = {"point": f.point or ALL, "first": f.first, "last": f.last, "event": f.event,
                      "zone": f.zone or ALL, "category": category_param[f.category] if f.category else ALL}
            return {f"{ids[k]}.value": v for k, v in values.items()}

        def view_call(view, f: FootfallFilter, clear: bool) -> tuple[float, object, list[Statement], str]:
            with server.test_request_context():  # a fresh `g`: dataset versions and builds read as a request does
                if clear:
                    cache.clear()
                log.take()
                log.label = label(f)
                began = time.perf_counter()
                try:
                    result = view(f, LANG)
                except Exception as exc:  # noqa: BLE001 - a failing chart is counted and reported
                    return time.perf_counter() - began, None, log.take(), error_text(exc)
                spent = time.perf_counter() - began
                return spent, result, log.take(), ""

        def post_call(f: FootfallFilter, clear: bool) -> tuple[float, object, list[Statement]]:
            if clear:
                with server.app_context():
                    cache.clear()
            body = callback_payload(callback, values_of(f))
            log.take()
            log.label = label(f)
            began = time.perf_counter()
            try:
                r = client.post("/_dash-update-component", data=body, content_type="application/json")
            except Exception as exc:  # noqa: BLE001 - a failing callback is counted and reported
                return time.perf_counter() - began, None, log.take(), error_text(exc)
            spent = time.perf_counter() - began
            if r.status_code != 200:
                return spent, None, log.take(), f"HTTP {r.status_code}: {r.get_data(as_text=True)[:200]}"
            return spent, r.get_json()["response"], log.take(), ""

        log.install()
        # Warm the process up (imports, Plotly's first figure, connection pools): not timed.
        post_combos = [f for f in combos if ":" not in f.event]  # the callback has no input for a range of days
        for f in combos[:4]:
            for chart in charts:
                view_call(chart.view, f, True)
        for f in post_combos[:2]:
            post_call(f, True)

        def record(sample: Sample, what: str, f: FootfallFilter, call: tuple) -> None:
            spent, result, sql, error = call
            if error:
                sample.fail(error, label(f), f.zone or "toutes")
                return
            sample.add(spent, result, length_of[(f.first, f.last)], label(f), sql)
            out.slowest.append((spent * 1000, what, label(f)))

        out = Latency([ChartLatency(c.slug) for c in charts], months=len(span), points=len(sites),
                      zones=zone_names, events=len(event_keys), filters=len(combos), periods=list(periods))
        cold_set = [combos[i % len(combos)] for i in range(cold)]
        for chart, lat in zip(charts, out.charts):
            for f in cold_set:
                record(lat.cold, f"{chart.slug} cold", f, view_call(chart.view, f, True))
        post_cold_set = [post_combos[i % len(post_combos)] for i in range(cold)]
        for f in post_cold_set:
            record(out.post_cold, "callback cold", f, post_call(f, True))

        warm_set = combos[:warm_filters]
        for chart, lat in zip(charts, out.charts):
            for f in warm_set:
                view_call(chart.view, f, True)  # fills the cache for this filter
                for _ in range(warm_repeats):
                    record(lat.warm, f"{chart.slug} warm", f, view_call(chart.view, f, False))
        for f in post_combos[:warm_filters]:
            post_call(f, True)
            for _ in range(warm_repeats):
                record(out.post_warm, "callback warm", f, post_call(f, False))

        with server.app_context():
            post_call(post_combos[0], True)
            out.cache_entries_cold_post = len(getattr(cache.cache, "_cache", {}))

        out.patched = log.patched
        log.uninstall()
        db = server.extensions["arras_db"]
        for lat in out.charts:
            missed = not (lat.cold.p(.95) <= GOAL_COLD_MS and lat.warm.p(.95) <= GOAL_WARM_MS)
            if (missed or always_explain) and lat.cold.slowest_sql is not None:
                lat.plan = explain(db, lat.cold.slowest_sql)
        missed = not (out.post_cold.p(.95) <= GOAL_COLD_MS and out.post_warm.p(.95) <= GOAL_WARM_MS)
        if (missed or always_explain) and out.post_cold.slowest_sql is not None:
            out.post_plan = explain(db, out.post_cold.slowest_sql)
        out.slowest.sort(reverse=True)
        return out
    finally:
        log.uninstall()
        server.extensions["arras_db"].dispose()


# --- the report -------------------------------------------------------------------------------------

@dataclass
class Case:
    database: str
    reset_s: float
    publish: Publish
    rows: dict[str, tuple[int, int]]
    latency: Latency


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


def latency_table(cases: list[Case]) -> str:
    head = ["database", "chart", "cold p50", "cold p95", "cold max", "warm p50", "warm p95", "warm max",
            "goals (p95: cold ≤ 300, warm ≤ 30)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for c in cases:
        rows = [(lat.slug, lat.cold, lat.warm) for lat in c.latency.charts]
        rows.append(("callback update_charts (the six at once)", c.latency.post_cold, c.latency.post_warm))
        for name, cold, warm in rows:
            lines.append("| " + " | ".join([
                c.database, name, ms(cold.p(.5)), ms(cold.p(.95)), ms(cold.top()),
                ms(warm.p(.5)), ms(warm.p(.95)), ms(warm.top()), verdict(cold, warm)]) + " |")
    return "\n".join(lines)


def publish_table(cases: list[Case]) -> str:
    head = ["database", "measure rows", "Flux Vision rows", "stage s (4 files)", "publish s (rollups)", "total s",
            "peak RSS MiB (VmHWM)", "RSS before stage MiB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for c in cases:
        p = c.publish
        lines.append("| " + " | ".join([
            c.database, f"{p.rows.get('comptage-mesures', 0):,}", f"{p.rows.get('flux-vision', 0):,}",
            f"{sum(p.stage_s.values()):.1f}", f"{p.publish_s:.1f}", f"{p.seconds:.1f}", f"{p.peak_mib:,.0f}",
            f"{p.before_mib:,.0f}"]) + " |")
    return "\n".join(lines)


def details(c: Case) -> str:
    p, lat = c.publish, c.latency

    def n(s: Sample) -> str:
        return f"{len(s.ms)} calls, {len(s.results)} distinct" + (f", {s.errors} failed" if s.errors else "")

    def errors(s: Sample, what: str) -> list[str]:
        if not s.errors:
            return []
        return [(f"      {what}: {s.errors} failed, with zones {', '.join(sorted(s.error_zones))}; first error: "
                 f"{s.first_error}")]

    stages = ", ".join(f"{slug} v{p.versions[slug]} {p.rows[slug]:,} rows {s:.1f} s" for slug, s in p.stage_s.items())
    rows = ", ".join(f"{t} {own:,} ({every:,} in all builds)" for t, (own, every) in c.rows.items())
    lines = [
        f"{c.database}:",
        f"  database reset + migrate + seed (13 months of demo footfall) {c.reset_s:.1f} s",
        f"  stage: {stages}",
        (f"  publish (build {p.build_id}: build_tables + writing the rollups) {p.publish_s:.1f} s; child process "
         f"{p.child_wall_s:.1f} s wall, {p.child_cpu_s:.1f} s CPU; RSS {p.before_mib:,.0f} MiB before stage "
         f"(imports + the files' bytes), peak {p.peak_mib:,.0f} MiB (VmHWM; wait4 ru_maxrss says "
         f"{p.maxrss_mib:,.0f} MiB, the parent's peak included); load {p.load:.2f}"),
        f"  rollup rows of the build: {rows}",
        (f"  filters: {lat.months} months, {lat.points} points, zones {lat.zones}, {lat.events} events; "
         f"{len(lat.periods)} periods {', '.join(f'{a}..{b}' for a, b in lat.periods)}; {lat.filters:,} "
         f"combinations; one cold POST leaves {lat.cache_entries_cold_post} cache entries"),
    ]
    for ch in lat.charts:
        s, w = ch.cold, ch.warm
        by = ", ".join(f"{m} mo {v:.0f}" for m, v in s.by_months().items())
        slow = s.slowest_sql
        if not s.ms and not w.ms:
            lines.append(f"  {ch.slug}: every call failed")
            lines += errors(s, "cold") + errors(w, "warm")
            continue
        lines.append(
            f"  {ch.slug}: cold {n(s)}, SQL p50 {percentile(s.sql_ms, .5):.1f} ms of p50 {s.p(.5):.1f} ms "
            f"({percentile(s.statements, .5):.0f} statements a call), p95 by period {by}; warm {n(w)}, SQL p50 "
            f"{percentile(w.sql_ms, .5):.1f} ms; largest answer {s.max_kib:,.0f} KiB; slowest cold call "
            f"{s.slowest[0]:.0f} ms ({s.slowest[1]})")
        lines += errors(s, "cold") + errors(w, "warm")
        if slow is not None:
            lines.append(f"      slowest statement {slow.ms:.1f} ms, {slow.rows:,} rows: {' '.join(slow.sql.split())[:160]}")
        if ch.plan:
            lines.append(f"      plan of it (params {json.dumps(slow.params, default=str)}):")
            lines += [f"        {line}" for line in ch.plan]
    for name, s in (("callback cold", lat.post_cold), ("callback warm", lat.post_warm)):
        by = ", ".join(f"{m} mo {v:.0f}" for m, v in s.by_months().items())
        if not s.ms:
            lines.append(f"  {name}: every call failed")
            lines += errors(s, "callback")
            continue
        lines.append(f"  {name}: {n(s)}, SQL p50 {percentile(s.sql_ms, .5):.1f} ms "
                     f"({percentile(s.statements, .5):.0f} statements a call), p95 by period {by}; largest answer "
                     f"{s.max_kib:,.0f} KiB")
        lines += errors(s, "callback")
        if name == "callback cold" and s.slowest_sql is not None:
            slow = s.slowest_sql
            lines.append(f"      slowest statement {slow.ms:.1f} ms, {slow.rows:,} rows: {' '.join(slow.sql.split())[:160]}")
            if lat.post_plan:
                lines.append(f"      plan of it (params {json.dumps(slow.params, default=str)}):")
                lines += [f"        {line}" for line in lat.post_plan]
    if lat.patched:
        lines.append(f"  --patch-zone-param: {lat.patched:,} statements had their zone parameter typed in this process "
                     f"({UNTYPED_ZONE} -> {TYPED_ZONE}); the app's code is unchanged")
    lines.append("  slowest calls: " + "; ".join(f"{what} {ms:.0f} ms ({label})" for ms, what, label in lat.slowest[:4]))
    return "\n".join(lines)


def commerce_charts() -> list[str]:
    from webapp.charts import REGISTRY, load_all

    load_all()
    return sorted(c.slug for c in REGISTRY.values() if "commerc" in c.story or "commerc" in c.slug)


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
    commerce = commerce_charts()
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
            rows = rollup_rows(url, publish.build_id)
            latency = measure(url, args.cold, args.warm_filters, args.warm_repeats, args.seed, args.explain,
                              args.patch_zone_param)
            cases.append(Case(d + (" (patched)" if args.patch_zone_param else ""), reset_s, publish, rows, latency))
            if d == "sqlite":
                Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)

        print()
        print(f"Footfall charts on the {first}-{last} demo data (latency in ms):")
        print()
        print(latency_table(cases))
        print()
        if any(s.errors for c in cases for s in (c.latency.post_cold, c.latency.post_warm,
                                                 *(x for ch in c.latency.charts for x in (ch.cold, ch.warm)))):
            print("ERROR: some calls raised; p50/p95/max are over the calls that answered ('–': none did). The first "
                  "error of each is in the details below.")
            print()
        print("Commerce charts: " + (f"registered ({', '.join(commerce)}) but not measured by this script."
                                     if commerce else "none registered yet (no commerce story in webapp.charts): "
                                     "not measured."))
        print()
        print("cold = cache.clear() before each call (process, imports and connection pool warm); warm = the same "
              "call repeated after it filled the cache. Each chart is its Chart.view(f, 'fr') in its own "
              "test_request_context; the callback is POST /_dash-update-component of update_charts (six charts and "
              "the status) through the Flask test client. SimpleCache, one process, no network.")
        print()
        print(f"Publishing the {first}-{last} files (the calls of `flask datasets demo-footfall`, files generated "
              "beforehand):")
        print()
        print(publish_table(cases))
        print()
        print("stage = validation, diff against the served version and keeping the file, for the four datasets; "
              "publish = one transaction building the rollups (build_tables) and writing them. Peak RSS = the "
              "child's VmHWM at its end (its own peak since exec: imports and the files' bytes included).")
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
