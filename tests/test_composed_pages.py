"""Pages composed from several apps: badges on the public profile, eligibility on the window
page and on the nominee page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.services import revoke_award
from ops.jobs import run_daily_jobs
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import make_nomination, make_privileged

pytestmark = pytest.mark.django_db


def profile_html(client, contributor) -> str:
    response = client.get(reverse("contributions:public_profile", args=[contributor.handle]))
    assert response.status_code == 200
    return response.content.decode()


def test_public_profile_shows_active_mvp_badge_then_alumni(client):
    today = timezone.localdate()
    person = ContributorFactory(is_public=True)
    award = make_award(contributor=person, starts_on=today - datetime.timedelta(days=10))
    html = profile_html(client, person)
    assert "MVP" in html
    assert "Developer Technologies" in html
    assert "alumni" not in html.lower()
    run_daily_jobs(as_of=award.ends_on + datetime.timedelta(days=1), trigger="test")
    assert "alumni" in profile_html(client, person).lower()


def test_public_profile_hides_revoked_award(client):
    person = ContributorFactory(is_public=True)
    award = make_award(contributor=person, starts_on=timezone.localdate())
    revoke_award(award_id=award.pk, actor=None, reason="Code of conduct")
    assert "Developer Technologies" not in profile_html(client, person)


def test_own_window_page_says_what_is_still_needed(client, user):
    client.force_login(user)
    response = client.get(reverse("contributions:window"))
    assert response.status_code == 200
    evaluation = response.context["evaluation"]
    assert {check.code for check in evaluation.checks} == {
        "age",
        "employer",
        "focus_area",
        "pillars",
        "consistency",
        "impact",
    }
    assert "What you still need for an MVP award" in response.content.decode()


def test_nominee_page_shows_checks_for_the_nominated_category(client):
    nomination = make_nomination(area_slug="azure")
    staff = make_privileged()
    client.force_login(staff)
    response = client.get(reverse("nominations:detail", args=[nomination.pk]))
    assert response.status_code == 200
    evaluation = response.context["evaluation"]
    assert evaluation.category_id == nomination.technology_area_id
    assert "Focus area" in response.content.decode()
