"""A person finds their fund: home page -> directory search -> fund page, in French and English.

Headless Debian Chromium against a live server; the `page` fixture fails the test on any console
error, so a CSP violation or a broken script shows up here.
"""

import re

import pytest
from playwright.sync_api import expect

from directory.loading import load_directory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def directory():
    load_directory()


def test_find_my_fund_by_postcode_in_french(page, directory):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Votre caisse d'assurance maladie en ligne")
    expect(page).to_have_title(re.compile("^Accueil — "))

    page.get_by_label("Code postal, ville ou département").fill("69003")
    page.get_by_role("button", name="Rechercher").click()

    expect(page).to_have_url(re.compile(r"/annuaire/caisses/69/$"))
    expect(page.locator("h1")).to_have_text("CPAM du Rhône")
    expect(page.get_by_text("102, rue Masséna")).to_be_visible()
    expect(page.locator('a[href="tel:0472758181"]')).to_have_text("04 72 75 81 81")
    expect(page.get_by_role("heading", name="2 accueils")).to_be_visible()
    expect(page.locator("nav.fr-breadcrumb")).to_contain_text("CPAM du Rhône")

    # The skip link leads to the content, for keyboard and screen-reader users.
    expect(page.locator(".fr-skiplinks a").first).to_have_attribute("href", "#content")


def test_a_fund_missing_from_the_seed_shows_the_national_number(page, directory):
    page.goto("/annuaire/")
    page.get_by_label("Code postal, ville ou département").fill("Haute-Loire")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile("Haute-Loire")).first.click()

    expect(page.locator("h1")).to_have_text("CPAM de la Haute-Loire")
    expect(page.locator('main a[href="tel:3646"]')).to_have_text("36 46")


def test_find_my_fund_by_city_in_english(page, directory):
    page.goto("/")
    page.locator("#language-button-header").click()
    page.get_by_role("link", name="EN - English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Your health insurance fund online")

    page.get_by_role("link", name="Find my fund").first.click()
    page.get_by_label("Postcode, town or département").fill("saint etienne")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Loire")).first.click()

    expect(page.locator("h1")).to_have_text("CPAM de la Loire")
    expect(page.get_by_role("heading", name="2 offices")).to_be_visible()
    expect(page.get_by_role("heading", name="SAINT ETIENNE CEDEX 1")).to_be_visible()
    expect(page.get_by_role("link", name="All funds")).to_be_visible()


def test_api_docs_work_offline(page):
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .title")).to_contain_text("cpam-portal API")
    expect(page.get_by_text("/api/v1/directory/funds/").first).to_be_visible()
