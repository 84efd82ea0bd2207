"""Import and publish a 1,000,000-row `ecoles-ips` file while the public site answers readers.

Usage: python bench/publish_million.py [--rows N] [--seed S] [--database-url URL] [--keep]

Writes a file in the official format of fr-en-ips_ecoles (the header of the shipped
data/sources/schools/ips-ecoles-2021-2022-dep62.csv, `;` separated, UTF-8): the shipped rows (with one
école of the city given a new IPS, so the public change can be seen) then synthetic rows, drawn from a
seeded generator (same file for the same --rows and --seed). Migrates and seeds a fresh SQLite database
in a temporary folder (or the database of --database-url, seeded only if it is empty; never point it at a
database someone else uses), serves it with gunicorn as `make run` does (gthread, 2 workers × 4 threads),
then runs `flask --app wsgi datasets import ecoles-ips FILE --publish` in a child process, measuring its
wall time and peak resident memory, while a thread asks for public pages every ~100 ms.
Goals: the import in under 60 s and 1 GiB; public pages keep answering 200 meanwhile.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SHIPPED = ROOT / "data" / "sources" / "schools" / "ips-ecoles-2021-2022-dep62.csv"
SLUG = "ecoles-ips"
PUBLIC_PATHS = ("/embed/ecoles-ips.csv", "/ecoles", "/embed/ecoles-carte")
GOAL_SECONDS = 60.0
GOAL_MIB = 1024.0
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # the UAI's check letter (I, O and Q are not used)


# --- the file --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Generated:
    path: Path
    rows: int
    size: int
    uai: str  # the city's école whose IPS the file changes
    raw_name: str
    ips: str  # its new IPS, as written in the file


def generate(path: Path, rows: int, seed: int, city_insee: str) -> Generated:
    """The shipped rows (one city école's IPS changed) then synthetic rows up to `rows`, seeded."""
    rng = random.Random(seed)
    with open(SHIPPED, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = next(reader)
        shipped = [row for row in reader if row]
    col = {name: i for i, name in enumerate(header)}
    uai_col, ips_col, insee_col = col["UAI"], col["IPS"], col["Code INSEE de la commune"]
    target = min((r for r in shipped if r[insee_col] == city_insee), key=lambda r: r[uai_col])
    target[ips_col] = f"{float(target[ips_col]) + 1.3:.1f}"
    taken = {r[uai_col] for r in shipped}
    # Other communes of the shipped file: the city keeps its real schools, so its pages stay readable.
    communes = sorted({(r[insee_col], r[col["Nom de la commune"]]) for r in shipped if r[insee_col] != city_insee})
    names = sorted({r[col["Nom de l'établissment"]] for r in shipped})
    fixed = {h: shipped[0][i] for h, i in col.items() if h in ("Rentrée scolaire", "Académie",
                                                                "Code du département", "Département")}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(shipped)
    for n in range(max(0, rows - len(shipped))):
        uai = f"0{n:06d}{LETTERS[rng.randrange(len(LETTERS))]}"
        while uai in taken:
            uai = uai[:-1] + LETTERS[(LETTERS.index(uai[-1]) + 1) % len(LETTERS)]
        taken.add(uai)
        insee, commune = communes[rng.randrange(len(communes))]
        row = [""] * len(header)
        for h, v in fixed.items():
            row[col[h]] = v
        row[uai_col], row[insee_col], row[col["Nom de la commune"]] = uai, insee, commune
        row[col["Nom de l'établissment"]] = names[rng.randrange(len(names))]
        row[col["Secteur"]] = "public" if rng.random() < 0.85 else "privé sous contrat"
        row[ips_col] = f"{min(150.0, max(50.0, rng.gauss(100, 16))):.1f}"
        writer.writerow(row)
    data = out.getvalue().encode("utf-8")
    path.write_bytes(data)
    total = max(rows, len(shipped))
    return Generated(path, total, len(data), target[uai_col], target[col["Nom de l'établissment"]], target[ips_col])


# --- the database and the server -------------------------------------------------------------------

def prepare_database(url: str) -> int:
    """Migrate, seed if empty; the served version of the dataset."""
    from webapp.data import migrate, publishing
    from webapp.demo import seed
    from webapp.data.db import Database

    db = Database(url)
    try:
        migrate.upgrade(db)
        missing = seed.unserved(db)
        if missing:
            seed.seed(db, only=missing)
        with db.engine.connect() as conn:
            return publishing.served_versions(conn)[SLUG]
    finally:
        db.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fetch(url, 5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


# --- readers during the import ---------------------------------------------------------------------

@dataclass
class Readers:
    """A thread asking for the public pages in turn, one every `interval` seconds."""

    base: str
    interval: float = 0.1
    results: list[tuple[str, int | str, float, float]] = field(default_factory=list)  # path, status, seconds, at
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> list[tuple[str, int | str, float, float]]:
        self._stop.set()
        self._thread.join(60)
        return self.results

    def _run(self) -> None:
        i = 0
        while not self._stop.is_set():
            path = PUBLIC_PATHS[i % len(PUBLIC_PATHS)]
            i += 1
            began = time.monotonic()
            try:
                status: int | str = fetch(self.base + path)[0]
            except OSError as exc:  # refused, reset, timed out: an error a reader sees
                status = type(exc).__name__
            spent = time.monotonic() - began
            self.results.append((path, status, spent, began))
            self._stop.wait(max(0.0, self.interval - spent))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def latencies(results: list[tuple[str, int | str, float, float]]) -> str:
    ms = [r[2] * 1000 for r in results]
    return (f"p50 {percentile(ms, .5):.0f} ms, p95 {percentile(ms, .95):.0f} ms, "
            f"max {max(ms, default=float('nan')):.0f} ms")


def describe(results: list[tuple[str, int | str, float, float]], since: float | None = None) -> str:
    """Count, errors and latencies; with `since` (when the import started), when the slowest ones were sent."""
    errors = [(r[0], r[1]) for r in results if r[1] != 200]
    line = f"{len(results)} requests, {len(errors)} errors (non-200), latency {latencies(results)}"
    for path in PUBLIC_PATHS:
        line += f"\n      {path}: " + latencies([r for r in results if r[0] == path])
    if since is not None and results:
        slowest = sorted(results, key=lambda r: r[2], reverse=True)[:3]
        line += "\n      slowest: " + ", ".join(f"{p} {s * 1000:.0f} ms sent at +{at - since:.1f} s"
                                                 for p, _, s, at in slowest)
    if errors:
        kinds: dict[str, int] = {}
        for p, st in errors:
            kinds[f"{st} {p}"] = kinds.get(f"{st} {p}", 0) + 1
        line += "\n      errors: " + ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items()))
    return line


# --- the import ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    began: float  # time.monotonic() when the child started
    seconds: float
    cpu_seconds: float
    peak_mib: float
    returncode: int
    output: str


# Runs `flask` and writes, as it exits, its own peak RSS (VmHWM, kB) to the file named first. Not
# wait4's ru_maxrss: on Linux a child started by fork/vfork + exec carries in it the parent's peak RSS.
PEAK_WRAPPER = """
import atexit, sys
target = sys.argv[1]
def write_peak():
    with open("/proc/self/status") as status, open(target, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM:")).split()[1])
atexit.register(write_peak)
sys.argv = ["flask", *sys.argv[2:]]
from flask.cli import main
main()
"""


def run_import(env: dict[str, str], file: Path, log: Path) -> Run:
    """`flask datasets import ecoles-ips FILE --publish` in a child process: wall time, its own peak RSS."""
    peak_file = log.with_suffix(".peak")
    command = [str(BIN / "python"), "-c", PEAK_WRAPPER, str(peak_file),
               "--app", "wsgi", "datasets", "import", SLUG, str(file), "--publish", "--by", "bench"]
    with open(log, "wb") as out:
        began = time.monotonic()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("nan")
    return Run(began, seconds, usage.ru_utime + usage.ru_stime, peak, child.returncode, log.read_text(errors="replace"))


def served_dataset_version(base: str) -> int | None:
    """The version of the dataset that /embed/index.json says the widgets show."""
    status, body = fetch(base + "/embed/index.json")
    if status != 200:
        return None
    for widget in json.loads(body)["widgets"]:
        for d in widget["datasets"]:
            if d["slug"] == SLUG:
                return int(d["version"])
    return None


def shows(csv_body: bytes, made: Generated) -> bool:
    """Whether the widget's CSV has the changed école with its new IPS."""
    from webapp.data.importers.schools import display_name

    rows = csv.reader(io.StringIO(csv_body.decode("utf-8-sig")))
    return any(r[0] == display_name(made.raw_name) and r[-1] == made.ips for r in rows if r)


# --- where the time and memory go (--profile) --------------------------------------------------------

class StepClock:
    """Wraps functions of the import path: wall and CPU seconds, RSS after and peak RSS reached, per call."""

    def __init__(self) -> None:
        self.lines: list[str | None] = []
        self.depth = 0

    @staticmethod
    def rss_mib() -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    @staticmethod
    def peak_mib() -> float:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def wrap(self, owner: object, name: str, label: str | None = None, detail=None) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            index = len(self.lines)
            self.lines.append(None)
            self.depth += 1
            peak0, wall0, cpu0 = self.peak_mib(), time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                peak = self.peak_mib()
                if wall >= 0.1 or peak > peak0:  # smaller steps are not shown
                    extra = f" [{detail(*args, **kwargs)}]" if detail else ""
                    grew = f" (+{peak - peak0:,.0f})" if peak > peak0 else ""
                    self.lines[index] = (f"{'  ' * self.depth}{label or name}{extra}: {wall:6.1f} s wall, "
                                         f"{cpu:6.1f} s CPU; RSS after {self.rss_mib():,.0f} MiB, "
                                         f"peak {peak:,.0f} MiB{grew}")

        setattr(owner, name, timed)


def profile(url: str, file: Path) -> None:
    """Stage and publish `file` in this process, each step of `webapp.data.publishing` timed and measured."""
    import dataclasses

    from webapp.data import publishing, schema
    from webapp.data.db import Database
    from webapp.data.importers import schools

    clock = StepClock()
    clock.wrap(publishing, "stage", "publishing.stage")
    clock.wrap(publishing, "check_file", "check_file")
    clock.wrap(publishing, "read_table", "tabular.read_table (decode, split)")
    clock.wrap(publishing, "validate", "schema.validate (pandera)")
    for name in ("normalise", "_coerce", "_constraint_problems"):
        clock.wrap(schema, name, f"schema.{name}")
    clock.wrap(publishing, "load_frame", "load_frame", lambda conn, slug, version: f"{slug} v{version}")
    clock.wrap(publishing, "diff", "diff against the served version")
    clock.wrap(publishing, "ensure_build", "ensure_build")
    clock.wrap(publishing, "_insert", "_insert", lambda conn, table, df, build_id: f"{table.name}, {len(df):,} rows")
    clock.wrap(schools, "read_ips_ecoles", "importers.read_ips_ecoles")
    clock.wrap(schools, "assign_iris", "importers.assign_iris")
    clock.wrap(publishing, "publish", "publishing.publish")
    group = publishing.GROUPS["ecoles"]
    clock.wrap(schools, "build_tables", "importers.build_tables")
    publishing.GROUPS["ecoles"] = dataclasses.replace(group, build=schools.build_tables)
    db = Database(url)
    began, base = time.perf_counter(), clock.rss_mib()
    content = file.read_bytes()
    print(f"profile (in this process, no server): RSS {base:,.0f} MiB before reading the file, "
          f"{clock.rss_mib():,.0f} MiB with its {len(content) / 2**20:,.0f} MiB read")
    staged = publishing.stage(db, SLUG, content, file.name, "bench")
    publishing.publish(db, {SLUG: staged.version}, "bench")
    db.dispose()
    print("\n".join("  " + line for line in clock.lines if line is not None))
    print(f"  total {time.perf_counter() - began:.1f} s, peak RSS {clock.peak_mib():,.0f} MiB")


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=62041)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file in the temporary folder")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between two public requests")
    parser.add_argument("--profile", action="store_true",
                        help="also stage and publish the file again, in this process on a fresh database, "
                             "with the time and memory of each step")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (file, database, logs)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="arras-publish-"))
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    env = dict(os.environ, DATABASE_URL=url, CACHE_TYPE="SimpleCache", SECRET_KEY=secrets.token_hex(16))
    city = env.get("CITY_INSEE", "62041")
    gunicorn = None
    try:
        began = time.monotonic()
        made = generate(work / "ips-ecoles-bench.csv", args.rows, args.seed, city)
        print(f"file: {made.rows:,} rows, {made.size / 2**20:,.1f} MiB, written in {time.monotonic() - began:.1f} s")
        before = prepare_database(url)
        port = free_port()
        with open(work / "gunicorn.log", "wb") as log:
            gunicorn = subprocess.Popen(
                [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "gthread",
                 "--threads", "4", "wsgi:server"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for path in PUBLIC_PATHS:
            wait_for(base + path)

        warm = Readers(base, args.interval)
        warm.start()
        time.sleep(3)
        baseline = warm.stop()

        readers = Readers(base, args.interval)
        readers.start()
        run = run_import(env, made.path, work / "import.log")
        during = readers.stop()
        settled = Readers(base, args.interval)  # the new version's first pages: caches are cold
        settled.start()
        time.sleep(5)
        after_import = settled.stop()

        after = served_dataset_version(base)
        status, csv_body = fetch(base + "/embed/ecoles-ips.csv")
        shown = shows(csv_body, made)
        gunicorn_log = (work / "gunicorn.log").read_text(errors="replace")

        print(f"database: {url.split('@')[-1] if '@' in url else url}")
        print(f"import: exit {run.returncode}; " + " / ".join(run.output.strip().splitlines()[-2:]))
        print(f"  wall time {run.seconds:.1f} s (goal < {GOAL_SECONDS:.0f} s: {met(run.seconds < GOAL_SECONDS)}); "
              f"CPU {run.cpu_seconds:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"  peak RSS {run.peak_mib:,.0f} MiB (goal < {GOAL_MIB:.0f} MiB: {met(run.peak_mib < GOAL_MIB)})")
        print(f"public pages before the import ({', '.join(PUBLIC_PATHS)}): {describe(baseline)}")
        print(f"public pages during the import: {describe(during, run.began)}")
        print(f"public pages in the 5 s after it: {describe(after_import, run.began)}")
        print(f"after: /embed/index.json gives {SLUG} version {after} (was {before}): "
              f"{'bumped' if after is not None and after > before else 'NOT bumped'}; "
              f"/embed/ecoles-ips.csv {status}, {made.uai}'s new IPS {made.ips} "
              f"{'shown' if shown else 'NOT shown'}")
        for marker in ("WORKER TIMEOUT", "Traceback", "database is locked"):
            if marker in gunicorn_log:
                print(f"gunicorn log: {gunicorn_log.count(marker)} × {marker!r} (see {work / 'gunicorn.log'})")
        if run.returncode != 0:
            print(run.output[-3000:], file=sys.stderr)
        if args.profile:
            fresh = f"sqlite:///{work / 'profile.sqlite3'}"
            prepare_database(fresh)
            profile(fresh, made.path)
        ok = (run.returncode == 0 and run.seconds < GOAL_SECONDS and run.peak_mib < GOAL_MIB
              and all(r[1] == 200 for r in during + after_import) and after is not None and after > before and shown)
        return 0 if ok else 1
    finally:
        if gunicorn:
            gunicorn.terminate()
            gunicorn.wait(15)
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
