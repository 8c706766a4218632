"""An MVP nominates a new person by email; the candidate completes the nomination from the
invitation link; a reviewer scores it and staff award it."""

import datetime
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.enums import Role
from accounts.services import grant_role
from awards.enums import AwardKind
from awards.models import Award
from contributions.models import ContributionKind, Contributor, TechnologyArea
from contributions.vocabularies import load_vocabularies
from tests.e2e.helpers import expect_signed_in, log_out
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CANDIDATE_EMAIL = "grace.newcomer@example.com"
CANDIDATE_PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def vocabularies(transactional_db):
    """Another transactional test may have flushed the seeded vocabularies: load them again."""
    load_vocabularies(TechnologyArea, ContributionKind)


def privileged(role):
    person = UserFactory()
    grant_role(user=person, role=role)
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    return person, secret


def log_in(page: Page, base: str, email: str, password: str = PASSWORD, secret: str = ""):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()
    if secret:
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Sign In").click()
    expect_signed_in(page)


def new_page(browser):
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    return page


def test_mvp_nominates_candidate_completes_reviewer_scores_staff_awards(
    page: Page, live_server, browser
):
    base = live_server.url
    today = datetime.date.today()
    nominator = ContributorFactory(display_name="Nora Nominator").user
    make_award(contributor=nominator.contributor, starts_on=today - datetime.timedelta(days=30))
    reviewer, reviewer_secret = privileged(Role.REVIEWER)
    staff, staff_secret = privileged(Role.STAFF)

    # 1. The MVP nominates a new person by email.
    log_in(page, base, nominator.email)
    page.goto(f"{base}/nominations/new/")
    expect(page.get_by_text("People aged 18 or older.")).to_be_visible()
    page.get_by_label("Candidate's name").fill("Grace Newcomer")
    page.get_by_label("Candidate's email").fill(CANDIDATE_EMAIL)
    page.get_by_label("Award category").select_option(label="Azure")
    page.get_by_label("Why should they be recognised?").fill("Runs the Azure meetup.")
    page.get_by_label("Evidence links").fill("https://example.com/meetup")
    page.get_by_role("button", name="Submit nomination").click()
    expect(page.get_by_text("the nomination was submitted")).to_be_visible()
    expect(page.get_by_text("Decision due")).to_be_visible()
    log_out(page)

    # 2. The candidate opens the invitation link, signs up, verifies and completes.
    invitation = next(m for m in mail.outbox if m.to == [CANDIDATE_EMAIL])
    link = re.search(r"/nominations/invitation/\S+/", invitation.body).group(0)
    page.goto(base + link)
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(CANDIDATE_EMAIL)
    page.get_by_label("Password:", exact=True).fill(CANDIDATE_PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)")).fill(CANDIDATE_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    confirm = next(m for m in reversed(mail.outbox) if "confirm-email" in m.body)
    page.goto(base + re.search(r"/accounts/confirm-email/\S+/", confirm.body).group(0))
    page.get_by_role("button", name="Confirm").click()
    expect_signed_in(page)
    page.goto(base + link)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("heading", name="Complete your nomination")).to_be_visible()
    expect(page.get_by_role("heading", name="Last 12 months")).to_be_visible()
    page.get_by_label("Date of birth").fill("1990-04-01")
    page.get_by_label("Employer category").select_option("independent")
    page.get_by_label("I have reviewed my contributions").check()
    page.get_by_role("button", name="Complete the nomination").click()
    expect(page.get_by_text("your nomination is complete")).to_be_visible()
    assert any(
        m.to == [nominator.email] and "completed your nomination" in m.subject for m in mail.outbox
    )

    # 3. Staff assign the reviewer; the reviewer scores it.
    staff_page = new_page(browser)
    log_in(staff_page, base, staff.email, secret=staff_secret)
    staff_page.goto(f"{base}/nominations/queue/")
    staff_page.get_by_role("link", name="Grace Newcomer").click()
    staff_page.get_by_label("Reviewer").select_option(label=reviewer.email)
    staff_page.get_by_role("button", name="Assign", exact=True).click()
    expect(staff_page.get_by_text("Reviewer assigned.")).to_be_visible()

    reviewer_page = new_page(browser)
    log_in(reviewer_page, base, reviewer.email, secret=reviewer_secret)
    reviewer_page.goto(f"{base}/nominations/reviews/")
    reviewer_page.get_by_role("link", name="Grace Newcomer").click()
    for label, score in (
        ("Technical expertise", "4"),
        ("Quality", "5"),
        ("Quantity", "3"),
        ("Impact", "4"),
    ):
        reviewer_page.get_by_label(label).select_option(score)
    reviewer_page.get_by_label("Recommendation").select_option("award")
    reviewer_page.get_by_label("Comment").fill("Strong community leader.")
    reviewer_page.get_by_role("button", name="Save review").click()
    expect(reviewer_page.get_by_text("your review was saved")).to_be_visible()

    # 4. Staff award it.
    staff_page.reload()
    expect(staff_page.get_by_text("Strong community leader.")).to_be_visible()
    staff_page.get_by_label("Decision:").select_option("awarded")
    staff_page.get_by_label("Reason:").fill("Outstanding meetup leadership.")
    staff_page.get_by_role("button", name="Record decision").click()
    expect(staff_page.get_by_text("Decision recorded.")).to_be_visible()

    staff_page.context.close()
    reviewer_page.context.close()

    # The candidate holds an active MVP award; both people got their emails.
    assert (
        Award.objects.active_on(today)
        .filter(
            kind=AwardKind.MVP,
            technology_area__slug="azure",
            contributor__user__email=CANDIDATE_EMAIL,
        )
        .exists()
    )
    # The candidate sees the MVP badge on their profile page.
    handle = Contributor.objects.get(user__email=CANDIDATE_EMAIL).handle
    page.goto(f"{base}/u/{handle}/")
    expect(page.locator(".award-badges").get_by_text("MVP · Azure")).to_be_visible()
    recipients = {address for m in mail.outbox for address in m.to}
    assert {nominator.email, CANDIDATE_EMAIL} <= recipients
    assert any(
        m.to == [nominator.email] and "received the MVP award" in m.subject for m in mail.outbox
    )
    assert any(m.to == [CANDIDATE_EMAIL] and "Welcome" in m.subject for m in mail.outbox)
