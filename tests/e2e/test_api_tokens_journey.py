import pytest
from playwright.sync_api import Page, expect

from contributions.models import Contribution, ContributionKind, TechnologyArea
from contributions.vocabularies import load_vocabularies
from tests.e2e.helpers import open_account_menu
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _vocabularies(db):
    # An earlier transactional test flushes the seeded rows; seed them again (idempotent).
    load_vocabularies(TechnologyArea, ContributionKind)


def test_create_token_use_it_from_a_script_and_revoke_it(page: Page, live_server):
    user = UserFactory()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email:").fill(user.email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    open_account_menu(page)
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("blog sync")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("mvpt_")

    # A script (no cookies) uses the token.
    script = page.context.browser.new_context()
    headers = {"Authorization": f"Bearer {secret}"}
    response = script.request.post(
        f"{live_server.url}/api/v1/contributions",
        headers=headers,
        data={
            "kind": "blog-post",
            "technology_area": "dotnet",
            "title": "From a script",
            "date": "2026-01-02",
        },
    )
    assert response.status == 201, response.text()
    assert Contribution.objects.get().title == "From a script"

    page.goto(f"{live_server.url}/settings/tokens/")  # the secret is gone; last use shows
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_role("cell", name="Never")).to_have_count(0)
    page.get_by_role("button", name="Revoke blog sync").click()
    response = script.request.get(f"{live_server.url}/api/v1/me", headers=headers)
    assert response.status == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    script.close()


def test_docs_page_loads_under_the_csp(page: Page, live_server):
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_role("heading", name="mvptracker API v1")).to_be_visible()
    page.get_by_role("link", name="POST /api/v1/contributions", exact=True).click()
    expect(page.locator("#schema-ContributionIn")).to_be_visible()
    assert violations == []
