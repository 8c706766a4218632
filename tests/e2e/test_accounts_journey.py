import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_out, open_account_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"


def test_sign_up_verify_log_in_and_switch_to_korean(page: Page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # The verification email comes through the outbox into Django's locmem backend.
    assert len(mail.outbox) == 1
    path = re.search(r"/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + path)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()

    log_out(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()

    page.get_by_label("Language").select_option("ko")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    open_account_menu(page)
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
