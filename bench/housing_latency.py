"""Latency of the housing story's map and price-trend callbacks, and the cost of publishing a DVF file.

Usage: python bench/housing_latency.py [--quick] [--sizes town,department] [--databases sqlite,postgresql]
       [--cold N] [--warm-filters N] [--warm-repeats N] [--postgres-url URL] [--seed S] [--keep]

For each database (a fresh SQLite file in a temporary folder; PostgreSQL at --postgres-url, its tables
dropped first as `tests/conftest.py::reset_database` does, then migrated and seeded) and each size:

* writes a DVF file in Etalab's geo-dvf format with `webapp.demo.housing.dvf_sales` over 2016-2025:
  `town` = 800 sales a year (about 8,000 sales: ten years of a town like Arras), `department` =
  20,000 a year (about 200,000 sales: the size of a département file). Every sale is in the town:
  the worst case for the per-IRIS aggregation (a real département file has most of its sales
  outside the town, which `build_tables` drops before aggregating);
* publishes it as a new version of `dvf` (`webapp.data.publishing.stage` + `publish`) in a child
  process: the time of stage + publish as the child measures it (without its interpreter start and
  imports), and the child's peak resident memory, `VmHWM` of /proc/self/status read by the child at its
  end (the whole child, its imports included; its RSS just before staging is printed too). Not
  `wait4`'s `ru_maxrss`: on Linux a child started by fork/vfork + exec inherits in it the parent's
  peak RSS (the 200,000-sale file generated in the parent would show as the town case's peak); it is
  printed in the details for comparison;
* times, on an app from `webapp.create_app` (SimpleCache, in-process), the map view
  (`view_map(f, "fr")`), the price-trend view (`view_prices(f, "fr")`), each in a fresh
  `test_request_context` (so the per-request reading of dataset versions is included), and the
  server callback `update_charts` POSTed to `/_dash-update-component` with the Flask test client
  (it answers the four charts, "mon quartier" and the status at once). Filters vary over types x
  periods x quartiers x indicators. "cold": `cache.clear()` before each call (the process, imports and
  database connections stay warm); "warm": the same call repeated, its results already cached.

Prints a Markdown table (p50 / p95 in ms) and details. Leaves nothing behind but the PostgreSQL
database (its tables are reset at the start of each case).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
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

SOURCES = ROOT / "data" / "sources"
IRIS_GEOJSON = SOURCES / "geo" / "iris-2020-arras-62041.geojson"
MEDIANS_CSV = SOURCES / "housing" / "dvf-prix-medians-trimestriels-par-departement-2014-2025.csv"
YEARS = range(2016, 2026)
SIZES = {"town": 800, "department": 20_000}  # sales a year
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_housing"
SLUG = "dvf"
FILTER_INPUTS = ["logement-type.value", "logement-debut.value", "logement-fin.value", "logement-quartier.value",
                 "logement-indicateur.value"]


# --- the file ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DvfFile:
    size: str
    path: Path
    sales: int  # mutations in the file
    rows: int
    mib: float
    seconds: float  # to generate


def write_dvf(work: Path, size: str, per_year: int, seed: int) -> DvfFile:
    from webapp.demo import housing as demo

    began = time.perf_counter()
    medians = demo.Medians.read(MEDIANS_CSV, "62")
    content = demo.dvf_sales(IRIS_GEOJSON, medians, "62041", "Arras", years=YEARS, sales_per_year=per_year, seed=seed)
    path = work / f"bench-dvf-{size}-{per_year}.csv"
    path.write_bytes(content)
    lines = content.decode("utf-8").splitlines()[1:]
    mutations = {line.split(",", 1)[0] for line in lines}
    return DvfFile(size, path, len(mutations), len(lines), len(content) / 2**20, time.perf_counter() - began)


# --- the database --------------------------------------------------------------------------------------


# --- publishing, in a child process ------------------------------------------------------------------------

@dataclass(frozen=True)
class Publish:
    stage_s: float
    publish_s: float
    child_wall_s: float  # the whole child: interpreter, imports, reading the file, stage, publish
    child_cpu_s: float
    peak_mib: float  # VmHWM of the child at its end: its own peak RSS since exec
    maxrss_mib: float  # ru_maxrss from wait4: max(the child's peak, the parent's peak when it was started)
    before_mib: float  # the child's RSS after its imports and reading the file, just before stage
    version: int
    build_id: int
    load: float  # 1-minute load average when it ended

    @property
    def seconds(self) -> float:
        return self.stage_s + self.publish_s


def publish_child(url: str, file: Path) -> None:
    """In the child: stage and publish `file` as a new version of `dvf`; one JSON line on stdout."""
    from webapp.data import publishing
    from webapp.data.db import Database

    content = file.read_bytes()
    before = rss_mib()
    db = Database(url)
    try:
        began = time.perf_counter()
        staged = publishing.stage(db, SLUG, content, file.name, "bench", note="bench/housing_latency.py")
        staged_at = time.perf_counter()
        build = publishing.publish(db, {SLUG: staged.version}, "bench")["logement"]
        done = time.perf_counter()
    finally:
        db.dispose()
    print(json.dumps({"stage_s": staged_at - began, "publish_s": done - staged_at, "before_mib": before,
                      "hwm_mib": hwm_mib(), "version": staged.version, "build_id": build}))


def run_publish(url: str, file: Path, log: Path) -> Publish:
    command = [sys.executable, str(Path(__file__).resolve()), "--publish-child", "--database-url", url,
               "--file", str(file)]
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
    result = json.loads(out.decode().strip().splitlines()[-1])
    return Publish(result["stage_s"], result["publish_s"], wall, usage.ru_utime + usage.ru_stime,
                   result["hwm_mib"], usage.ru_maxrss / 1024, result["before_mib"], result["version"],
                   result["build_id"], os.getloadavg()[0])


def built_rows(url: str, build: int) -> tuple[int, int, int]:
    """(housing_price rows of the build, of every build, town sales kept over the whole span)."""
    from webapp.data.db import Database

    db = Database(url)
    try:
        rows = db.scalar("SELECT COUNT(*) FROM housing_price WHERE build_id = :b", {"b": build})
        total = db.scalar("SELECT COUNT(*) FROM housing_price")
        kept = db.scalar(
            "SELECT sales FROM housing_price WHERE build_id = :b AND commune_code = '62041' AND iris_code = '' "
            "AND dwelling_type = 'tous' AND year_from = :first AND year_to = :last",
            {"b": build, "first": YEARS[0], "last": YEARS[-1]})
        return int(rows), int(total), int(kept or 0)
    finally:
        db.dispose()


# --- latency ------------------------------------------------------------------------------------------


@dataclass
class Sample:
    ms: list[float] = field(default_factory=list)
    results: set[str] = field(default_factory=set)  # digests of the answers: do the filters give different results?

    def add(self, seconds: float, result: object) -> None:
        self.ms.append(seconds * 1000)
        self.results.add(hashlib.sha1(json.dumps(result, sort_keys=True, default=str).encode()).hexdigest())

    def cell(self) -> str:
        return f"{percentile(self.ms, .5):.1f} / {percentile(self.ms, .95):.1f}"


def callback_payload(callback: dict, values: list, search: str = "") -> str:
    outputs = split_output(callback["output"])
    return json.dumps({
        "output": callback["output"],
        "outputs": outputs if len(outputs) > 1 or callback["output"].startswith("..") else outputs[0],
        "inputs": [dict(i, value=v) for i, v in zip(callback["inputs"], values)],
        "state": [dict(s, value=search) for s in callback["state"]],
        "changedPropIds": [FILTER_INPUTS[0]],
    })


@dataclass
class Latency:
    map_cold: Sample = field(default_factory=Sample)
    map_warm: Sample = field(default_factory=Sample)
    trend_cold: Sample = field(default_factory=Sample)
    trend_warm: Sample = field(default_factory=Sample)
    post_cold: Sample = field(default_factory=Sample)
    post_warm: Sample = field(default_factory=Sample)
    cache_entries_cold_post: int = 0  # entries one cold POST leaves in the cache
    indicator_only: list[str] = field(default_factory=list)  # what a change of the map indicator alone recomputes
    slowest: list[tuple[float, str, str]] = field(default_factory=list)  # (ms, what, filter)


def measure(url: str, cold: int, warm_filters: int, warm_repeats: int, seed: int) -> Latency:
    from webapp import create_app
    from webapp.charts import housing as hc
    from webapp.data.housing import BOTH, INDICATORS, TYPES, HousingFilter
    from webapp.extensions import cache
    from webapp.settings import Settings

    app = create_app(Settings.from_env(database_url=url, cache_type="SimpleCache", seed_on_start=False,
                                       secret_key="bench"))
    server = app.server
    client = server.test_client()
    try:
        deps = client.get("/_dash-dependencies").get_json()
        found = [d for d in deps if [f"{i['id']}.{i['property']}" for i in d["inputs"]] == FILTER_INPUTS
                 and not d.get("clientside_function")]
        if len(found) != 1:
            raise RuntimeError(f"expected one server callback on {FILTER_INPUTS}, found {len(found)}")
        callback = found[0]

        with server.test_request_context():
            years = [int(y) for y in hc.allowed_years()]
            codes = sorted(hc.quartier_names())
        if not years or not codes:
            raise RuntimeError("the housing story has no years or no quartiers")
        first, last = years[0], years[-1]
        periods = sorted({(first, last), (max(first, last - 4), last), (last, last), (first, min(last, first + 3)),
                          (max(first, last - 2), max(first, last - 1))})
        rng = random.Random(seed)
        quartiers = [None, *rng.sample(codes, min(3, len(codes)))]
        combos = [HousingFilter(k, a, b, q_, i) for k in (*TYPES, BOTH) for a, b in periods for q_ in quartiers
                  for i in INDICATORS]
        rng.shuffle(combos)

        def values_of(f: HousingFilter) -> list[str]:
            return [f.dwelling_type, str(f.year_from), str(f.year_to), f.iris or hc.ALL, f.indicator]

        def label(f: HousingFilter) -> str:
            return f"{f.dwelling_type} {f.year_from}-{f.year_to} {f.iris or 'ville'} {f.indicator}"

        def view_call(view, f: HousingFilter, clear: bool) -> tuple[float, object]:
            with server.test_request_context():  # a fresh `g`: dataset versions read as a request does
                if clear:
                    cache.clear()
                began = time.perf_counter()
                result = view(f, "fr")
                return time.perf_counter() - began, result

        def post_call(f: HousingFilter, clear: bool) -> tuple[float, object]:
            if clear:
                with server.app_context():
                    cache.clear()
            body = callback_payload(callback, values_of(f))
            began = time.perf_counter()
            r = client.post("/_dash-update-component", data=body, content_type="application/json")
            spent = time.perf_counter() - began
            if r.status_code != 200:
                answer = r.get_data(as_text=True)[:500]
                raise RuntimeError(f"callback answered {r.status_code} for {label(f)}: {answer}")
            return spent, r.get_json()["response"]

        # Warm the process up (imports, Plotly's first figure, connection pools): not timed.
        for f in combos[:3]:
            post_call(f, True)
            view_call(hc.view_map, f, True)
            view_call(hc.view_prices, f, True)

        out = Latency()
        cold_set = [combos[i % len(combos)] for i in range(cold)]
        for name, view, sample in (("map", hc.view_map, out.map_cold), ("trend", hc.view_prices, out.trend_cold)):
            for f in cold_set:
                spent, result = view_call(view, f, True)
                sample.add(spent, result)
                out.slowest.append((spent * 1000, f"{name} cold", label(f)))
        for f in cold_set:
            spent, result = post_call(f, True)
            out.post_cold.add(spent, result)
            out.slowest.append((spent * 1000, "callback cold", label(f)))

        warm_set = combos[:warm_filters]
        for name, view, sample in (("map", hc.view_map, out.map_warm), ("trend", hc.view_prices, out.trend_warm)):
            for f in warm_set:
                view_call(view, f, True)  # fills the cache for this filter
                for _ in range(warm_repeats):
                    spent, result = view_call(view, f, False)
                    sample.add(spent, result)
                    out.slowest.append((spent * 1000, f"{name} warm", label(f)))
        for f in warm_set:
            post_call(f, True)
            for _ in range(warm_repeats):
                spent, result = post_call(f, False)
                out.post_warm.add(spent, result)
                out.slowest.append((spent * 1000, "callback warm", label(f)))

        # What the cache holds after one cold POST, and what changing only the map's indicator recomputes.
        with server.app_context():
            store = cache.cache
            f = HousingFilter(BOTH, first, last, None, "prix")
            post_call(f, True)
            keys = set(getattr(store, "_cache", {}))
            out.cache_entries_cold_post = len(keys)
            post_call(HousingFilter(BOTH, first, last, None, "ventes"), False)
            added = set(getattr(store, "_cache", {})) - keys
            out.indicator_only = sorted({k.split("|", 1)[0].removeprefix("arras:") for k in added})
        out.slowest.sort(reverse=True)
        return out
    finally:
        server.extensions["arras_db"].dispose()


# --- the report -------------------------------------------------------------------------------------

@dataclass
class Case:
    database: str
    file: DvfFile
    reset_s: float
    publish: Publish
    rows: tuple[int, int, int]
    latency: Latency


def table(cases: list[Case]) -> str:
    head = ["database", "sales", "publish s", "publish peak RSS MiB", "map cold p50/p95 ms", "map warm p50/p95 ms",
            "trend cold p50/p95 ms", "trend warm p50/p95 ms", "callback cold p50/p95 ms", "callback warm p50/p95 ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for c in cases:
        lat = c.latency
        lines.append("| " + " | ".join([
            c.database, f"{c.file.sales:,}", f"{c.publish.seconds:.1f}", f"{c.publish.peak_mib:,.0f}",
            lat.map_cold.cell(), lat.map_warm.cell(), lat.trend_cold.cell(), lat.trend_warm.cell(),
            lat.post_cold.cell(), lat.post_warm.cell()]) + " |")
    return "\n".join(lines)


def details(c: Case) -> str:
    p, lat, (rows, total, kept) = c.publish, c.latency, c.rows

    def n(s: Sample) -> str:
        return f"{len(s.ms)} calls, {len(s.results)} distinct results"

    slowest = "; ".join(f"{what} {label} {ms:.0f} ms" for ms, what, label in lat.slowest[:3])
    lines = [
        f"{c.database}, {c.file.size} ({c.file.sales:,} sales):",
        (f"  file: {c.file.rows:,} rows, {c.file.mib:.1f} MiB, generated in {c.file.seconds:.1f} s; "
         f"database reset + migrate + seed {c.reset_s:.1f} s"),
        (f"  publish dvf v{p.version} (build {p.build_id}): stage {p.stage_s:.1f} s (validation, diff, "
         f"build of the housing tables) + publish {p.publish_s:.2f} s; child process "
         f"{p.child_wall_s:.1f} s wall, {p.child_cpu_s:.1f} s CPU; RSS {p.before_mib:,.0f} MiB before "
         f"stage (imports + file), peak {p.peak_mib:,.0f} MiB (VmHWM; wait4 ru_maxrss says "
         f"{p.maxrss_mib:,.0f} MiB, the parent's peak included); load {p.load:.2f}"),
        (f"  build: {rows:,} housing_price rows ({total:,} in all builds); town sales kept "
         f"2016-2025: {kept:,} of {c.file.sales:,} in the file"),
        (f"  samples: map cold {n(lat.map_cold)}; map warm {n(lat.map_warm)}; trend cold "
         f"{n(lat.trend_cold)}; trend warm {n(lat.trend_warm)}; callback cold {n(lat.post_cold)}; "
         f"callback warm {n(lat.post_warm)}"),
        (f"  max ms: map cold {max(lat.map_cold.ms):.1f}, trend cold {max(lat.trend_cold.ms):.1f}, "
         f"callback cold {max(lat.post_cold.ms):.1f}, callback warm {max(lat.post_warm.ms):.1f}"),
        f"  slowest calls: {slowest}",
        (f"  cache: one cold POST leaves {lat.cache_entries_cold_post} entries; changing only the map "
         f"indicator (prix -> ventes) recomputes: {', '.join(lat.indicator_only) or 'nothing'}"),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="SQLite only, the town size (a fast check)")
    parser.add_argument("--sizes", default="town,department",
                        help="comma-separated: town (800 sales a year), department (20,000), "
                             "or a number of sales a year")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--postgres-url", default=POSTGRES_URL,
                        help="its tables are dropped: never point it at a database someone else uses")
    parser.add_argument("--cold", type=int, default=60, help="cold calls of each kind (>= 50)")
    parser.add_argument("--warm-filters", type=int, default=20, help="filters timed warm")
    parser.add_argument("--warm-repeats", type=int, default=10, help="warm calls per filter")
    parser.add_argument("--seed", type=int, default=7, help="seed of the DVF files and of the filters' order")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (files, SQLite, logs)")
    parser.add_argument("--publish-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--file", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.publish_child:
        publish_child(args.database_url, Path(args.file))
        return 0

    databases = ["sqlite"] if args.quick else [d.strip() for d in args.databases.split(",") if d.strip()]
    sizes = ["town"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    for d in databases:
        if d not in ("sqlite", "postgresql"):
            parser.error(f"unknown database {d!r}")
    for s in sizes:
        if s not in SIZES and not s.isdigit():
            parser.error(f"unknown size {s!r}")

    import logging
    import warnings

    logging.getLogger("alembic").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    started = time.monotonic()
    print(f"start: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs",
          flush=True)
    work = Path(tempfile.mkdtemp(prefix="arras-housing-"))
    cases: list[Case] = []
    try:
        files = {}
        for s in sizes:
            per_year = SIZES.get(s) or int(s)
            files[s] = write_dvf(work, s, per_year, args.seed)
            f = files[s]
            print(f"file {s}: {f.sales:,} sales, {f.rows:,} rows, {f.mib:.1f} MiB ({f.seconds:.1f} s)", flush=True)
        for d in databases:
            for s in sizes:
                if d == "sqlite":
                    url = f"sqlite:///{work / f'bench-{s}.sqlite3'}"
                else:
                    url = args.postgres_url
                    ensure_postgres_database(url)
                reset_s = reset_database(url)
                publish = run_publish(url, files[s].path, work / f"publish-{d}-{s}.log")
                print(f"{d} {s}: published in {publish.seconds:.1f} s, peak RSS {publish.peak_mib:,.0f} MiB; "
                      f"timing the callbacks…", flush=True)
                rows = built_rows(url, publish.build_id)
                latency = measure(url, args.cold, args.warm_filters, args.warm_repeats, args.seed)
                cases.append(Case(d, files[s], reset_s, publish, rows, latency))
                if d == "sqlite":
                    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)

        print()
        print(table(cases))
        print()
        print("Latency: p50 / p95 in ms. map = view_map(f, 'fr'), trend = view_prices(f, 'fr'), each in its own "
              "test_request_context; callback = POST /_dash-update-component of update_charts (the four charts, "
              "'mon quartier' and the status) through the Flask test client. cold = cache.clear() before each call "
              "(process and connection pool warm); warm = the same call repeated after it filled the cache. "
              "SimpleCache, one process, no network.")
        print("Publish: stage + publish as the child process times them (not its start and imports); peak RSS = "
              "the child's VmHWM at its end (its own peak since exec, imports included: about 140 MiB before "
              "anything is staged).")
        print("Every generated sale is in the town: the worst case for the per-IRIS aggregation. A real "
              "département file has most of its sales outside the town, which build_tables drops before "
              "aggregating (it reads and validates them all, though).")
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
