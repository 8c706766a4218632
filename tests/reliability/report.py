"""Render ``docs/reliability.md`` from the figures the suite recorded.

``python -m tests.reliability.report FIGURES.jsonl OUT.md --pytest-status N`` writes the report
and exits non-zero when pytest failed, when any figure falls short, or when an expected section
recorded nothing (a suite that silently measured nothing is a shortfall too).
"""

import argparse
import json
import platform
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

SECTIONS = ("Access", "Bad input", "Faults", "Concurrency", "Configuration")


def _version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return "not found"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    # A figure recorded twice (a retried test) keeps its last value.
    latest: dict[tuple, dict] = {}
    for row in rows:
        latest[(row["section"], row["name"])] = row
    return list(latest.values())


def render(rows: list[dict], *, pytest_status: int, seconds: float | None) -> tuple[str, bool]:
    by_section: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_section[row["section"]].append(row)
    missing = [section for section in SECTIONS if not by_section.get(section)]
    short = [row for row in rows if not row["ok"]]
    passed = pytest_status == 0 and not short and not missing
    import django

    lines = [
        "# Reliability and security figures",
        "",
        f"Written by `make reliability` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        + (f" in {seconds / 60:.1f} min" if seconds else "")
        + ". Every number below was measured by the test named beside it; the run exits"
        " non-zero when any figure falls short.",
        "",
        f"- result: **{'all figures met' if passed else 'SHORTFALL'}**"
        f" ({len(rows) - len(short)} of {len(rows)} figures met; pytest exit {pytest_status})",
        f"- machine: {platform.platform()}, Python {platform.python_version()},"
        f" Django {django.get_version()}",
        f"- PostgreSQL: {_version(['psql', '--version'])}; Redis:"
        f" {_version(['redis-server', '--version'])}",
        "",
    ]
    if missing:
        lines += [f"**No figures recorded for: {', '.join(missing)}.**", ""]
    for section in [*SECTIONS, *sorted(set(by_section) - set(SECTIONS))]:
        if section not in by_section:
            continue
        lines += [f"## {section}", "", "| figure | measured | target | met | test |"]
        lines += ["|---|---|---|---|---|"]
        for row in sorted(by_section[section], key=lambda r: r["name"]):
            detail = f" ({row['detail']})" if row.get("detail") else ""
            test = row["test"].split("::", 1)[-1]
            lines.append(
                f"| {row['name']}{detail} | {row['value']} | {row['target']} |"
                f" {'yes' if row['ok'] else '**no**'} | `{test}` |"
            )
        lines.append("")
    return "\n".join(lines), passed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("figures", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pytest-status", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=None)
    args = parser.parse_args(argv)
    rows = load(args.figures)
    text, passed = render(rows, pytest_status=args.pytest_status, seconds=args.seconds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {'all figures met' if passed else 'SHORTFALL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
