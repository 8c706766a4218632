import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.enums import Role
from accounts.services import grant_role
from awards.models import Award
from contributions.models import ContributionKind, TechnologyArea
from contributions.vocabularies import load_vocabularies
from tests.factories.contributions import ContributionFactory, ContributorFactory, kind
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in_with_totp(page: Page, base_url: str, email: str, secret: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()


def test_staff_grants_mcc_from_candidates_and_it_expires_after_90_days(page: Page, live_server):
    # A transactional test before this one may have flushed the seeded vocabularies.
    load_vocabularies(TechnologyArea, ContributionKind)
    today = timezone.localdate()
    staff = UserFactory()
    grant_role(user=staff, role=Role.STAFF)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    helper = ContributorFactory(
        display_name="Forum Hero", employer_category="independent", is_public=True
    )
    for offset in (1, 2, 3):
        ContributionFactory(
            contributor=helper,
            kind=kind("forum-answers-microsoft"),
            date=today - timedelta(days=offset),
            quantity=12,
        )

    log_in_with_totp(page, live_server.url, staff.email, secret)
    page.goto(f"{live_server.url}/awards/mcc/")
    expect(page.get_by_text("Forum Hero")).to_be_visible()
    page.get_by_role("button", name="Grant MCC to Forum Hero").click()
    expect(page.get_by_text("MCC granted: 1.")).to_be_visible()
    expect(page.get_by_text("No candidates right now.")).to_be_visible()

    award = Award.objects.get(contributor=helper, kind="mcc")
    assert (award.starts_on, award.ends_on) == (today, today + timedelta(days=89))
    profile = f"{live_server.url}/u/{helper.handle}/"
    page.goto(profile)
    expect(page.locator(".award-badges").get_by_text("MCC")).to_be_visible()
    page.goto(f"{live_server.url}/awards/{award.pk}/certificate/")
    badges = page.locator("#certificate-badges")
    expect(badges.get_by_text("MCC")).to_be_visible()
    page.goto(f"{live_server.url}/verify/{award.certificate_code}/")
    expect(page.locator("#verify-state")).to_contain_text("Valid")

    call_command("run_daily_jobs", "--as-of", (today + timedelta(days=91)).isoformat())

    page.goto(profile)
    expect(page.get_by_role("heading", name="Forum Hero")).to_be_visible()
    expect(page.locator(".award-badges")).to_have_count(0)

    page.goto(f"{live_server.url}/awards/{award.pk}/certificate/")
    expect(page.locator("#certificate-status")).to_have_text("Expired")
    expect(badges.get_by_text("MCC")).to_have_count(0)
    page.goto(f"{live_server.url}/verify/{award.certificate_code}/")
    expect(page.locator("#verify-state")).to_contain_text("Expired")
