"""A contributor connects a blog feed, fetches it and accepts its posts, in English and in
Korean, against a feed served from 127.0.0.1 (test settings allow private addresses)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from contributions.models import Contribution, ContributionKind, TechnologyArea
from contributions.vocabularies import load_vocabularies
from imports.models import Draft
from tests.e2e.helpers import open_account_menu
from tests.factories.users import PASSWORD, UserFactory
from tests.local_http import LocalHTTPServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def vocabularies():
    load_vocabularies(TechnologyArea, ContributionKind)


def rss(prefix: str, titles: list[str]) -> bytes:
    today = date.today()
    items = "".join(
        f"<item><title>{title}</title><link>https://blog.example.com/{prefix}/{n}</link>"
        f"<pubDate>{(today - timedelta(days=10 * (n + 1))).strftime('%a, %d %b %Y')} "
        f"09:00:00 GMT</pubDate></item>"
        for n, title in enumerate(titles)
    )
    channel = f"<channel><title>Blog</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def connect(page: Page, url: str, *, type_label, address, kind, area, submit) -> None:
    page.get_by_label(type_label).select_option("feed")
    page.get_by_label(address).fill(url)
    page.get_by_label(kind).select_option(label="Blog post, article or guest blog")
    page.get_by_label(area).select_option(label="Developer Technologies › .NET")
    page.get_by_role("button", name=submit, exact=True).click()


def test_connect_a_blog_feed_and_accept_its_posts(page: Page, live_server):
    person = UserFactory(email="importer@example.com")
    with LocalHTTPServer() as server:
        server.route("/en.xml", body=rss("en", ["Minimal APIs", "Source generators"]))
        server.route("/ko.xml", body=rss("ko", ["한국어 글 하나", "한국어 글 둘"]))

        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email:").fill(person.email)
        page.get_by_label("Password:").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()

        open_account_menu(page)
        page.get_by_role("link", name="Sources").click()
        connect(
            page,
            server.url("/en.xml"),
            type_label="Type",
            address="Feed address",
            kind="Kind",
            area="Technology area",
            submit="Connect",
        )
        expect(page.get_by_text("connected.")).to_be_visible()
        page.get_by_role("button", name="Fetch now").click()
        expect(page.get_by_role("status").filter(has_text="OK")).to_be_visible()

        page.get_by_role("link", name="Inbox", exact=True).first.click()
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(2)
        rows.filter(has_text="Minimal APIs").get_by_role("button", name="Accept").click()
        expect(page.get_by_text("“Minimal APIs” added to your contributions.")).to_be_visible()
        page.locator("tbody tr").filter(has_text="Source generators").get_by_role(
            "link", name="Edit"
        ).click()
        page.get_by_label("Title").fill("Source generators, explained")
        page.get_by_role("button", name="Accept", exact=True).click()
        expect(page.get_by_text("Nothing waiting.")).to_be_visible()

        page.get_by_label("Language").select_option("ko")
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        page.goto(f"{live_server.url}/me/sources/")
        connect(
            page,
            server.url("/ko.xml"),
            type_label="유형",
            address="피드 주소",
            kind="종류",
            area="기술 분야",
            submit="연결",
        )
        korean_row = page.locator("tbody tr").filter(has_text="ko.xml")
        korean_row.get_by_role("button", name="지금 가져오기").click()
        expect(korean_row.get_by_role("status").filter(has_text="정상")).to_be_visible()
        page.goto(f"{live_server.url}/me/inbox/")
        expect(page.get_by_role("heading", name="받은편지함")).to_be_visible()
        page.get_by_label("선택 한국어 글 하나").check()
        page.get_by_label("선택 한국어 글 둘").check()
        page.get_by_role("button", name="선택 항목 수락").click()
        expect(page.get_by_text("기다리는 초안이 없습니다.")).to_be_visible()

    assert sorted(Contribution.objects.values_list("title", flat=True)) == [
        "Minimal APIs",
        "Source generators, explained",
        "한국어 글 둘",
        "한국어 글 하나",
    ]
    assert Draft.objects.filter(status="accepted").count() == 4
