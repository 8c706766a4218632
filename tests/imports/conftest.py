from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from contributions.models import ContributionKind, TechnologyArea
from contributions.services import ensure_contributor
from contributions.vocabularies import load_vocabularies
from imports.models import Source
from tests.factories.contributions import area, kind
from tests.local_http import LocalHTTPServer

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def server():
    with LocalHTTPServer("127.0.0.1") as running:
        yield running


@pytest.fixture
def contributor(user):
    return ensure_contributor(user=user)


@pytest.fixture
def make_source(contributor):
    def make(**fields) -> Source:
        values = {
            "type": "feed",
            "default_kind": kind("blog-post"),
            "technology_area": area("dotnet"),
            "contributor": contributor,
            **fields,
        }
        return Source.objects.create(**values)

    return make


@pytest.fixture
def vocabularies():
    """A transactional test before this one may have flushed the seeded vocabularies."""
    load_vocabularies(TechnologyArea, ContributionKind)
