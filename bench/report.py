"""The report of a ``make bench`` run: the machine's fingerprint, every target with its
measured ratio (:func:`evaluate`) and the Markdown summary written beside the JSON."""

import os
import platform
import subprocess
from pathlib import Path

import psycopg


def fingerprint(*, pg: str, workers: int) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with psycopg.connect(f"{pg}/postgres") as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg_version,
        "gunicorn_workers": workers,
        "wrk": subprocess.run(
            ["wrk", "--version"], capture_output=True, text=True
        ).stdout.splitlines()[0][:40],
        "platform": platform.platform(),
    }


def evaluate(small: dict, large: dict, *, wrk_timeout: int) -> list[dict]:
    """Every target with its measured ratio and whether it is met."""
    checks = []
    pages_s, pages_l = small["pages"], large["pages"]
    hello = pages_l["hello view"]["rps"] if pages_l else 0  # --only-jobs measures no pages
    for name, row in pages_l.items():
        if "queries" not in row or name in ("hello view", "one indexed query"):
            continue
        s_row = pages_s[name]
        checks.append(
            {
                "target": f"{name}: queries S = 10xS",
                "measured": f"{s_row['queries']} vs {row['queries']}",
                "met": s_row["queries"] == row["queries"],
            }
        )
        if row["errors"] or s_row["errors"] or not row["p95_ms"] or not s_row["p95_ms"]:
            # wrk's latencies leave out requests that timed out: compare the server times.
            ratio = row["server_ms"] / s_row["server_ms"]
            checks.append(
                {
                    "target": f"{name}: p95 10xS ≤ 1.3 × p95 S",
                    "measured": f"requests timed out ({s_row['errors']} at S, {row['errors']} "
                    f"at 10xS); median server time {ratio:.2f}x",
                    "met": False,
                }
            )
        else:
            ratio = row["p95_ms"] / s_row["p95_ms"]
            checks.append(
                {
                    "target": f"{name}: p95 10xS ≤ 1.3 × p95 S",
                    "measured": f"{ratio:.2f}x",
                    "met": ratio <= 1.3,
                }
            )
        ratio = row["server_ms"] / row["replay_ms"] if row["replay_ms"] else float("inf")
        checks.append(
            {
                "target": f"{name}: server time ≤ 3 × replayed SQL",
                "measured": f"{ratio:.2f}x",
                "met": ratio <= 3,
            }
        )
    for name in ("window page", "staff queue (first page)"):
        if name in pages_l:
            ratio = pages_l[name]["rps"] / hello
            checks.append(
                {
                    "target": f"{name}: ≥ 0.4 × hello req/s",
                    "measured": f"{ratio:.2f}x",
                    "met": ratio >= 0.4,
                }
            )
    if "staff queue (first page)" in pages_l and "admin changelist" in pages_l:
        admin_rps = pages_l["admin changelist"]["rps"] or 1 / wrk_timeout  # none finished
        ratio = pages_l["staff queue (first page)"]["rps"] / admin_rps
        checks.append(
            {
                "target": "staff queue ≥ 20 × admin changelist at 10xS",
                "measured": f"{ratio:.1f}x",
                "met": ratio >= 20,
            }
        )
    for label, result in (("S", small), ("10xS", large)):
        for job in result.get("jobs", []):
            ratio = job["job_ms"] / job["sql_ms"] if job["sql_ms"] else float("inf")
            checks.append(
                {
                    "target": f"{job['name']} at {label}: ≤ 1.5 × single statement",
                    "measured": f"{ratio:.2f}x",
                    "met": ratio <= 1.5,
                }
            )
    return checks


def markdown(report: dict) -> str:
    lines = [f"# Benchmark {report['date']}", "", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in report["machine"].items()]
    for label in ("S", "10xS"):
        result = report["scales"][label]
        lines += [
            "",
            f"## {label}: {result['contributors']:,} contributors "
            f"(loaded in {result['load_seconds']}s)",
            "",
            "| page | req/s | p50 ms | p95 ms | p99 ms | errors | queries | server ms "
            "| SQL replay ms |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, row in result["pages"].items():
            lines.append(
                f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
                f"{row['p99_ms']:.1f} | {row['errors']} | {row.get('queries', '–')} | "
                f"{row.get('server_ms', float('nan')):.2f} | "
                f"{row.get('replay_ms', float('nan')):.2f} |"
            )
        if result.get("jobs"):
            lines += ["", "| job | rows due | job ms | single statement ms |", "|---|---|---|---|"]
            lines += [
                f"| {j['name']} | {j['due']} | {j['job_ms']:.1f} | {j['sql_ms']:.1f} |"
                for j in result["jobs"]
            ]
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [
        f"| {c['target']} | {c['measured']} | {'yes' if c['met'] else '**no**'} |"
        for c in report["targets"]
    ]
    return "\n".join(lines) + "\n"
