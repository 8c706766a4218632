import json
from datetime import date

import pytest
from django.core.management import call_command

from imports.fetching import fetch_source
from imports.models import Draft
from tests.factories.contributions import kind
from tests.imports.conftest import AS_OF, NOW, fixture

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json"}


def drafts():
    return sorted(Draft.objects.values_list("title", "date", "quantity", "reach"))


def test_github_repositories_releases_and_merged_pulls(server, make_source, settings):
    settings.IMPORT_GITHUB_API_URL = server.url("/gh")
    settings.IMPORT_GITHUB_TOKEN = "ghp_test"
    server.route("/gh/users/ada/repos", body=fixture("github_repos.json"), headers=JSON)
    server.route(
        "/gh/repos/ada/fast-json/releases", body=fixture("github_releases.json"), headers=JSON
    )
    server.route("/gh/repos/ada/old-tool/releases", body=b"[]", headers=JSON)
    server.route("/gh/search/issues", body=fixture("github_search.json"), headers=JSON)
    source = make_source(type="github", handle="ada", default_kind=kind("code-project"))

    counts = fetch_source(source_id=source.pk, as_of=AS_OF, now=NOW)

    assert counts.new == 4
    assert drafts() == [
        ("Fix span allocation in the parser", date(2026, 8, 15), 1, 0),
        ("ada/fast-json", date(2026, 3, 1), 1, 321),
        ("ada/fast-json v2.0.0", date(2026, 10, 1), 1, 321),
        ("ada/old-tool", date(2026, 9, 10), 1, 12),
    ]
    search = next(r for r in server.requests if r.path.startswith("/gh/search/issues"))
    assert "author%3Aada" in search.path
    assert "-user%3Aada" in search.path
    assert search.headers["Authorization"] == "Bearer ghp_test"


def test_stackexchange_answers_become_one_draft_per_month(server, make_source, settings):
    settings.IMPORT_STACKEXCHANGE_API_URL = server.url("/se")
    server.route("/se/users/4242/answers", body=fixture("stackexchange_answers.json"))
    server.route("/se/questions/101;102;103", body=fixture("stackexchange_questions.json"))
    source = make_source(
        type="stackexchange",
        site="stackoverflow",
        user_id="4242",
        default_kind=kind("forum-answers-third-party"),
    )

    fetch_source(source_id=source.pk, as_of=AS_OF, now=NOW)
    again = fetch_source(source_id=source.pk, as_of=AS_OF, now=NOW)

    assert drafts() == [
        ("1 answers on stackoverflow.com, 2026-11", date(2026, 11, 30), 1, 250),
        ("2 answers on stackoverflow.com, 2026-10", date(2026, 10, 31), 2, 1040),
    ]
    assert again.new == 0
    assert Draft.objects.get(quantity=2).url == (
        "https://stackoverflow.com/users/4242?tab=answers&month=2026-10"
    )


def test_fetch_sources_command_prints_json_counts(server, make_source, capsys, time_machine):
    time_machine.move_to(NOW)
    server.route("/feed", body=fixture("rss.xml"))
    source = make_source(url=server.url("/feed"))
    make_source(url=server.url("/missing"))

    call_command("fetch_sources", "--source", str(source.pk))
    first = json.loads(capsys.readouterr().out)
    call_command("fetch_sources")
    second = json.loads(capsys.readouterr().out)

    assert first == {"sources": 1, "new": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert second == {"sources": 2, "new": 0, "updated": 0, "unchanged": 3, "errors": 1}
