"""Steps several browser journeys share."""

from playwright.sync_api import Page, expect


def account_menu(page: Page):
    """The signed-in person's menu (a <details> in the navbar)."""
    return page.locator("details.nav-menu-end")


def open_account_menu(page: Page) -> None:
    menu = account_menu(page)
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


def expect_signed_in(page: Page) -> None:
    expect(account_menu(page).locator("summary")).to_be_visible()


def log_out(page: Page, label: str = "Log out") -> None:
    open_account_menu(page)
    page.get_by_role("button", name=label).click()
