"""Steps shared by the browser tests (Playwright pages on a live server)."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Through the portal's login page; returns once the browser has left it."""
    page.goto("/compte/login/")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def choose(page, label: str) -> None:
    """A DSFR radio button: its label is drawn over the input, so a person clicks the label."""
    page.locator("label.fr-label", has_text=re.compile(f"^{label}$")).click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()
