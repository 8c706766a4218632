"""The Jinja2 pages print what their Django-language originals printed, and how long each takes.

With ``RENDER_TIMING_ROUNDS=N`` set, each page is also fetched N times through the test client
with either engine, alternating, and the median request and SQL times are printed (run with -s);
the figures behind README "Templates"."""

import os
import re
import statistics
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.utils import EngineHandler
from django.urls import reverse

from tests.factories.contributions import ContributionFactory, ContributorFactory, area
from tests.factories.nominations import make_nomination, make_privileged
from tests.factories.users import UserFactory

ROUNDS = int(os.environ.get("RENDER_TIMING_ROUNDS", "0"))
VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": |nonce=)"[^"]*"')


def _engines(settings, jinja2: bool) -> EngineHandler:
    templates = settings.TEMPLATES if jinja2 else settings.TEMPLATES[1:]
    return EngineHandler(templates)


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(VOLATILE.sub("", response.content.decode()).split())


@pytest.fixture
def pages(client, settings, db):
    from accounts.enums import Role

    owner = UserFactory()
    contributor = ContributorFactory(user=owner, primary_area=area("dotnet"))
    today = date.today()
    for day in range(60):
        ContributionFactory(contributor=contributor, date=today - timedelta(days=day * 5))
    staff = make_privileged(role=Role.STAFF)
    for _ in range(25):
        make_nomination()
    return [
        ("window page", owner, reverse("contributions:window")),
        ("contribution list", owner, reverse("contributions:list")),
        ("staff queue", staff, reverse("nominations:queue")),
    ]


def test_jinja2_pages_print_what_the_django_templates_printed(client, settings, pages, monkeypatch):
    import django.template.loader as loader

    variants = {name: _engines(settings, name == "jinja2") for name in ("django", "jinja2")}
    for _label, who, url in pages:
        client.force_login(who)
        printed = {}
        for name, handler in variants.items():
            monkeypatch.setattr(loader, "engines", handler)
            printed[name] = _text(client.get(url))
        assert printed["jinja2"] == printed["django"]
    if ROUNDS:
        _time(client, pages, variants, monkeypatch, loader)


def _time(client, pages, variants, monkeypatch, loader):
    sql = [0.0]

    def timed(execute, sql_text, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql[0] += time.perf_counter() - start

    for label, who, url in pages:
        client.force_login(who)
        totals = {name: [] for name in variants}
        sqls = {name: [] for name in variants}
        for _round in range(ROUNDS):
            for name, handler in variants.items():
                monkeypatch.setattr(loader, "engines", handler)
                sql[0] = 0.0
                with connection.execute_wrapper(timed):
                    start = time.perf_counter()
                    client.get(url)
                    totals[name].append(time.perf_counter() - start)
                sqls[name].append(sql[0])
        for name in variants:
            total = statistics.median(totals[name]) * 1000
            query = statistics.median(sqls[name]) * 1000
            p95 = statistics.quantiles(totals[name], n=20)[-1] * 1000
            print(
                f"{label:18} {name:7} median {total:6.1f} ms  p95 {p95:6.1f} ms  "
                f"SQL {query:5.1f} ms  non-SQL {total - query:6.1f} ms  ratio {total / query:4.1f}"
            )
