import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from contributions.models import Contribution, ContributionKind, TechnologyArea
from contributions.vocabularies import load_vocabularies
from tests.e2e.helpers import open_account_menu
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def vocabularies():
    """An earlier transactional test flushes the tables, seeded data included: seed again."""
    load_vocabularies(TechnologyArea, ContributionKind)


def _log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()


def _add(page: Page, *, kind: str, area: str, title: str, day: date, role: str, reach_label: str):
    page.get_by_role("link", name="Add a contribution").click()
    page.get_by_label("Kind").select_option(label=kind)
    # htmx swaps the fields for the chosen kind: the reach label follows it.
    expect(page.get_by_label(reach_label)).to_be_visible()
    page.get_by_label("Technology area").select_option(label=area)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("URL").fill(f"https://example.com/{title.lower().replace(' ', '-')}")
    page.get_by_label("Role").select_option(label=role)
    page.get_by_label(reach_label).fill("120")
    page.get_by_role("button", name="Save contribution").click()
    expect(page.get_by_text(f"Contribution “{title}” added.")).to_be_visible()


def test_profile_log_import_window_export(page: Page, live_server, tmp_path):
    person = UserFactory(email="journey@example.com")
    today = date.today() - timedelta(days=1)  # stay clear of time-zone edges
    _log_in(page, live_server, person.email)

    # Profile
    open_account_menu(page)
    page.get_by_role("link", name="Profile").click()
    page.get_by_label("Display name").fill("Journey Person")
    page.get_by_label("Handle").fill("journey")
    page.get_by_label("Primary technology area").select_option(
        label="Developer Technologies › .NET"
    )
    page.get_by_label("Public profile").check()
    page.get_by_label("Time zone").fill("Asia/Seoul")
    page.get_by_label("Public links").fill("javascript:alert(1)")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("is not a web address starting with http")).to_be_visible()
    page.get_by_label("Public links").fill("https://journey.example")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()

    # Log two kinds of contribution
    page.get_by_role("link", name="My contributions").click()
    _add(
        page,
        kind="Talk at a conference",
        area="Developer Technologies › .NET",
        title="Conference talk",
        day=today - timedelta(days=10),
        role="Speaker",
        reach_label="Reach (Attendees)",
    )
    _add(
        page,
        kind="Forum answers (Microsoft forums)",
        area="Data Platform › SQL Server",
        title="Forum answers in March",
        day=today - timedelta(days=40),
        role="Answerer",
        reach_label="Reach (Views)",
    )

    page.get_by_role("link", name="My 12 months").click()
    expect(page.locator("#window-total")).to_have_text("2")

    # Import a CSV with one bad row
    csv_path = tmp_path / "log.csv"
    recent, older = (
        (today - timedelta(days=5)).isoformat(),
        (today - timedelta(days=70)).isoformat(),
    )
    csv_path.write_text(
        "kind,technology_area,title,date,url,description,role,quantity,reach,visibility\n"
        f"blog-post,dotnet,Imported post,{recent},https://example.com/imported,,author,1,900,public\n"
        "blog-post,dotnet,Bad row,not-a-date,,,,1,0,public\n"
        f"workshop,dotnet,Imported workshop,{older},,,,1,25,private\n",
        encoding="utf-8",
    )
    page.get_by_role("link", name="My contributions").click()
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(csv_path))
    page.get_by_role("button", name="Preview import").click()
    expect(page.locator("#count-import")).to_have_text("2")
    expect(page.locator("#count-error")).to_have_text("1")
    bad = page.locator("tr.import-error")
    expect(bad).to_contain_text("Bad row")
    expect(bad).to_contain_text("YYYY-MM-DD")
    assert Contribution.objects.count() == 2  # nothing written before confirming
    page.get_by_role("button", name="Import 2 contributions").click()
    expect(page.locator("#import-result")).to_contain_text("Imported 2 contributions.")
    assert sorted(Contribution.objects.values_list("title", flat=True)) == [
        "Conference talk",
        "Forum answers in March",
        "Imported post",
        "Imported workshop",
    ]

    # The window changed
    page.get_by_role("link", name="My 12 months").click()
    expect(page.locator("#window-total")).to_have_text("4")
    expect(page.locator("#window-chart")).to_be_visible()

    # The public page shows public entries only
    page.goto(f"{live_server.url}/u/journey/")
    expect(page.get_by_role("heading", name="Journey Person")).to_be_visible()
    expect(page.get_by_text("Imported post")).to_be_visible()
    expect(page.get_by_text("Imported workshop")).to_have_count(0)

    # Export
    page.get_by_role("link", name="My contributions").click()
    page.get_by_role("link", name="Export").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Contributions (CSV)").click()
    content = tmp_path / "export.csv"
    download_info.value.save_as(content)
    text = content.read_text(encoding="utf-8")
    assert text.startswith("kind,technology_area,title,date")
    assert len(re.findall(r"^(?:talk|forum|blog|workshop)", text, re.MULTILINE)) == 4


def test_contribution_form_without_javascript_keeps_input(browser, live_server):
    person = UserFactory(email="nojs@example.com")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _log_in(page, live_server, person.email)
        page.goto(f"{live_server.url}/me/contributions/new/")
        page.get_by_label("Title").fill("Typed before choosing")
        page.get_by_label("Kind").select_option(label="Workshop")
        page.get_by_role("button", name="Update form").click()
        expect(page.get_by_label("Title")).to_have_value("Typed before choosing")
        expect(page.get_by_label("Reach (Attendees)")).to_be_visible()
        assert not Contribution.objects.exists()
    finally:
        context.close()
