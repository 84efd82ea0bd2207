"""Requests per second of a warm widget page under gunicorn, against nginx serving the same bytes.

Usage: python bench/widget_throughput.py [PATH] [--seconds N]
Needs nginx and wrk (Debian: apt-get install -y nginx wrk). Seeds a temporary SQLite database,
serves this checkout with gunicorn (gthread: 2 workers × 4 threads, as `make run`), saves the
widget's bytes to a file served by nginx (2 workers, no access log), warms both, then runs the same
wrk load on each, one after the other. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NGINX_CONF = """worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; default_type text/html;
  server {{ listen 127.0.0.1:{port}; root {dir}/www; location / {{ try_files /widget.html =404; }} }} }}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def wrk(url: str, seconds: int) -> float:
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"non-2xx answers from {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", default="/embed/ecoles-ips")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    if missing:
        print(f"missing: {', '.join(missing)}; install with: apt-get install -y nginx wrk", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="arras-bench-"))
    work.chmod(0o755)  # nginx workers run as an unprivileged user
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}", CACHE_TYPE="SimpleCache")
    for command in (["db", "upgrade"], ["db", "seed"]):
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    app_port, nginx_port = free_port(), free_port()
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{app_port}", "--workers", "2", "--worker-class", "gthread",
         "--threads", "4", "wsgi:server"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (work / "www").mkdir()
    (work / "nginx.conf").write_text(NGINX_CONF.format(dir=work, port=nginx_port))
    nginx = None
    try:
        app_url = f"http://127.0.0.1:{app_port}{args.path}"
        wait_for(app_url)
        body = urllib.request.urlopen(app_url).read()
        (work / "www" / "widget.html").write_bytes(body)
        nginx = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        nginx_url = f"http://127.0.0.1:{nginx_port}/widget.html"
        wait_for(nginx_url)
        for url in (app_url, nginx_url):  # warm both
            wrk(url, 2)
        app_rps = wrk(app_url, args.seconds)
        nginx_rps = wrk(nginx_url, args.seconds)
        print(f"widget {args.path} ({len(body):,} bytes, uncompressed as wrk asks)")
        print(f"  gunicorn (gthread 2×4): {app_rps:,.0f} req/s")
        print(f"  nginx, same bytes:      {nginx_rps:,.0f} req/s")
        print(f"  ratio: {app_rps / nginx_rps:.3f} (goal ≥ 0.15)")
    finally:
        gunicorn.terminate()
        if nginx:
            nginx.terminate()
        gunicorn.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
