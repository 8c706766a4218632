"""The reliability and security suite (``make reliability``).

Every test here proves one figure of ``docs/reliability.md``: it measures a number, records it
with :func:`figure` and asserts it. ``make test`` runs the fast parts with small counts;
``make reliability`` sets ``RELIABILITY_FULL=1`` (larger counts, the slow fault tests) and
``RELIABILITY_FIGURES`` (where the figures are written), then renders the report from them.
"""

import json
import os
from pathlib import Path

import pytest

FULL = os.environ.get("RELIABILITY_FULL") == "1"
FIGURES_FILE = os.environ.get("RELIABILITY_FIGURES")


def scale(fast: int, full: int) -> int:
    """A count (repetitions, examples, payloads) for this run: small in ``make test``."""
    return full if FULL else fast


def pytest_collection_modifyitems(config, items):
    if FULL:
        return
    skip = pytest.mark.skip(reason="slow reliability test: runs in `make reliability`")
    for item in items:
        if "slow_reliability" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def figure(request):
    """Record one figure: ``figure(section, name, value, target=..., ok=...)``.

    ``section`` is one of the report's sections (Access, Bad input, Faults, Concurrency,
    Configuration); ``value`` a number or short text; ``target`` what it must be, in words
    (e.g. "0", "= 1", ">= 50"); ``ok`` whether it is met. The test must still assert ``ok``
    itself, so a shortfall fails ``make test`` too; the figure is written first, so the report
    shows the number that failed.
    """

    def record(section: str, name: str, value, *, target: str, ok: bool, detail: str = ""):
        row = {
            "section": section,
            "name": name,
            "value": value,
            "target": target,
            "ok": bool(ok),
            "detail": detail,
            "test": request.node.nodeid,
            "full": FULL,
        }
        if FIGURES_FILE:
            path = Path(FIGURES_FILE)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row, default=str) + "\n")
        return row

    return record


# The fault tests' servers (own Redis, SMTP sink, Celery worker), shared by test_faults_*.
from tests.reliability.faults import broker, redis_server, seeded, smtp_sink, worker  # noqa: E402, F401
