from datetime import date

import pytest
from django.template import engines

from awards.services import revoke_award
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory, area

pytestmark = pytest.mark.django_db


def render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def test_award_badges_active_mvp_per_area_and_mcc():
    person = ContributorFactory()
    make_award(contributor=person, starts_on=date(2026, 1, 1))
    make_award(contributor=person, area_slug="azure", starts_on=date(2026, 1, 1))
    make_award(contributor=person, kind="mcc", starts_on=date(2026, 5, 1))
    html = render("{{ award_badges(person, as_of) }}", person=person, as_of=date(2026, 6, 1))
    assert "MVP · Developer" in html
    assert "MVP · Azure" in html
    assert ">MCC<" in html
    assert "alumni" not in html


def test_award_badges_alumni_after_expiry_and_nothing_for_revoked():
    person = ContributorFactory()
    make_award(contributor=person, starts_on=date(2024, 1, 1))
    revoked = make_award(contributor=person, area_slug="azure", starts_on=date(2026, 1, 1))
    revoke_award(award_id=revoked.pk, actor=None, reason="Conduct")
    html = render("{{ award_badges(person, '2026-06-01') }}", person=person)
    assert "MVP alumni · Developer" in html
    assert "Azure" not in html


def test_award_badges_active_term_replaces_alumni_in_that_area():
    person = ContributorFactory()
    make_award(contributor=person, starts_on=date(2025, 1, 1))
    make_award(contributor=person, starts_on=date(2026, 1, 1))
    html = render("{{ award_badges(person, '2026-06-01') }}", person=person)
    assert "MVP · Developer" in html
    assert "alumni" not in html


def test_award_badges_nothing_without_awards():
    assert render("{{ award_badges(person) }}", person=ContributorFactory()).strip() == ""


def test_eligibility_panel_lists_every_check_with_numbers():
    person = ContributorFactory(primary_area=area("dotnet"), employer_category="government")
    html = render("{{ eligibility_panel(person, '2026-06-30') }}", person=person)
    assert "What you still need for an MVP award" in html
    for label in ("Age", "Employer", "Focus area", "Pillars", "Consistency", "Impact"):
        assert label in html
    assert "not eligible for community awards" in html
    assert "0 contributions in the area (at least 6)" in html
    assert "policy version" in html
