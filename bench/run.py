"""``make bench``: load S and 10xS, serve with gunicorn + production settings, drive with wrk,
and report every page as ratios measured in one run (see README "Benchmark").

Absolute numbers depend on the machine; the targets are ratios: queries per page equal at S
and 10xS, p95 at 10xS within 1.3x of S, key pages at least 0.4x the hello view's throughput,
server time at most 3x the same SQL replayed with psycopg, the staff queue 20x faster than
the admin changelist at 10xS, each daily job within 1.5x of one SQL statement doing its work.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import psycopg

from bench.report import evaluate, fingerprint, markdown

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "mvptracker_bench")
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8100"))
PLAIN_PORT = PORT + 1
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
DEEP_PAGES = 20
WRK_TIMEOUT = 30  # seconds: a slow page gets a latency, not a silent timeout
SECRET = "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG"  # noqa: S105


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# --- database -------------------------------------------------------------------------------
def recreate_database(name: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def django_env(database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="mvptracker.settings.bench",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{PG}/{database}",
        REDIS_URL=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7"),
        MVPTRACKER_DATA_DIR=str(WORK),
        EMAIL_URL="dummymail://",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


# --- server ---------------------------------------------------------------------------------
class Server:
    def __init__(self, app: str, port: int, env: dict):
        self.port = port
        self.process = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                app,
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(port, "/bench/hello" if port == PORT else "/", None)
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn on port {port} did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def request(port: int, path: str, cookie: str | None, headers: dict | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    all_headers = {"Host": "localhost", **(headers or {})}
    if cookie:
        all_headers["Cookie"] = cookie
    conn.request("GET", path, headers=all_headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


# --- measurements ---------------------------------------------------------------------------
@dataclass
class Target:
    name: str
    path: str
    cookie: str | None = None
    port: int = PORT
    results: dict = field(default_factory=dict)


def run_wrk(target: Target, duration: int, connections: int) -> dict:
    url = f"http://{HOST}:{target.port}{target.path}"
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        f"{WRK_TIMEOUT}s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
        "-H",
        "Host: localhost",
    ]
    if target.cookie:
        command += ["-H", f"Cookie: {target.cookie}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    return json.loads(line)


def server_time(target: Target, repeat: int) -> float:
    """Median time inside Django (X-Server-Time-Ms) over sequential requests."""
    times = []
    for _ in range(repeat):
        _, headers, _ = request(target.port, target.path, target.cookie)
        times.append(float(headers.get("X-Server-Time-Ms", "nan")))
    return statistics.median(times)


def capture_sql(target: Target, path: Path) -> int:
    status, headers, _ = request(
        target.port, target.path, target.cookie, {"X-Bench-Capture": str(path)}
    )
    if status != 200:
        raise RuntimeError(f"{target.name}: {target.path} answered {status}")
    return int(headers["X-Query-Count"])


def replay_sql(database: str, path: Path, repeat: int) -> float:
    """Median time to run the captured statements directly with psycopg (one connection)."""
    statements = json.loads(path.read_text())
    times = []
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        for _ in range(repeat):
            started = time.perf_counter()
            with conn.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    if cursor.description:
                        cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


NEXT_LINK = re.compile(r'href="([^"]*cursor=[^"]*)"[^>]*rel="next"|rel="next"[^>]*href="([^"]*)"')


def follow_next(port: int, path: str, cookie: str, pages: int) -> str:
    """Follow the page's rel="next" link ``pages`` times; returns the deep page's path."""
    for _ in range(pages):
        status, _, body = request(port, path, cookie)
        match = NEXT_LINK.search(body.decode())
        if status != 200 or not match:
            break
        path = urljoin(path, unescape(match.group(1) or match.group(2)))
    return path


def api_next(port: int, path: str, cookie: str, pages: int) -> str:
    for _ in range(pages):
        status, _, body = request(port, path, cookie)
        nxt = json.loads(body).get("next") if status == 200 else None
        if not nxt:
            break
        parts = urlsplit(nxt)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    return path


def build_targets(session: dict) -> list[Target]:
    """The ladder, then the real pages (bench/pages.py). A page given as ("html" | "api",
    start path) is the page reached by following its own next links DEEP_PAGES times."""
    from bench.pages import page_targets

    cookies = {"contributor": session["contributor"], "staff": session["staff"], None: None}
    targets = [
        Target("plain WSGI", "/", port=PLAIN_PORT),
        Target("hello view", "/bench/hello"),
        Target("one indexed query", "/bench/one-query"),
    ]
    for name, path, who in page_targets(session):
        cookie = cookies[who]
        if isinstance(path, tuple):
            style, start = path
            path = (api_next if style == "api" else follow_next)(PORT, start, cookie, DEEP_PAGES)
        targets.append(Target(name, path, cookie))
    return targets


def measure_pages(label: str, env: dict, args) -> dict:
    session = json.loads(
        subprocess.run(
            [PY, "-m", "bench.prepare"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    app = Server("bench.wsgi:application", PORT, env)
    plain = Server("bench.wsgi_plain:application", PLAIN_PORT, env)
    results = {}
    try:
        targets = build_targets(session)
        for target in targets:
            for _ in range(args.warmup):
                request(target.port, target.path, target.cookie)
            row = {"path": target.path}
            if target.port == PORT:
                capture = WORK / f"capture-{re.sub(r'[^a-z0-9]+', '-', target.name.lower())}.json"
                row["queries"] = capture_sql(target, capture)
                row["server_ms"] = server_time(target, args.repeat)
                row["replay_ms"] = replay_sql(DB, capture, args.repeat)
            row.update(run_wrk(target, args.duration, args.connections))
            results[target.name] = row
            log(
                f"{label}: {target.name}: {row.get('rps', 0):.0f} req/s, "
                f"p95 {row.get('p95_ms', 0):.1f} ms, {row.get('queries', '-')} queries"
            )
    finally:
        app.stop()
        plain.stop()
    return results


def measure_scale(label: str, contributors: int, args, as_of: date) -> dict:
    from bench.load import Scale, load

    log(f"{label}: creating database and loading {contributors:,} contributors")
    recreate_database(DB)
    env = django_env(DB)
    manage(env, "migrate", "--noinput")
    started = time.perf_counter()
    counts = load(f"{PG}/{DB}", Scale(contributors), as_of)
    load_seconds = time.perf_counter() - started
    log(f"{label}: loaded in {load_seconds:.0f}s: {counts}")
    results = {} if args.only_jobs else measure_pages(label, env, args)
    from bench.jobs import measure_jobs

    log(f"{label}: daily jobs against single statements")
    jobs = measure_jobs(env=env, database=DB, as_of=as_of, pg=PG)
    for job in jobs:
        log(
            f"{label}: {job['name']}: {job['due']} due, job {job['job_ms']:.0f} ms, "
            f"statement {job['sql_ms']:.0f} ms"
        )
    return {
        "contributors": contributors,
        "rows": counts,
        "load_seconds": round(load_seconds, 1),
        "pages": results,
        "jobs": jobs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="contributors at S")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--only-jobs", action="store_true", help="skip the pages, run the jobs")
    args = parser.parse_args()
    if not shutil.which("wrk") and not args.only_jobs:
        raise SystemExit("wrk is missing: apt-get install wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = django_env(DB)
    manage(env, "collectstatic", "--noinput")
    as_of = date.today()
    started = time.perf_counter()
    try:
        scales = {
            "S": measure_scale("S", args.scale, args, as_of),
            "10xS": measure_scale("10xS", args.scale * 10, args, as_of),
        }
    finally:
        if not args.keep:
            drop_database(DB)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": fingerprint(pg=PG, workers=WORKERS),
        "scales": scales,
        "targets": evaluate(scales["S"], scales["10xS"], wrk_timeout=WRK_TIMEOUT),
        "seconds": round(time.perf_counter() - started),
    }
    stem = RESULTS / f"{as_of.isoformat()}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2))
    stem.with_suffix(".md").write_text(markdown(report))
    log(f"wrote {stem}.json and {stem}.md in {report['seconds']}s")
    missed = [c for c in report["targets"] if not c["met"]]
    for check in missed:
        log(f"target missed: {check['target']}: {check['measured']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
