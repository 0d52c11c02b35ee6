import html as html_module
import re

import pytest
from django.urls import reverse

from directory.loading import load_directory
from tests.directory.factories import FundFactory, OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    """The reference directory: 100 funds and the 129 offices of the seed."""
    load_directory()


def search(client, text, **kwargs):
    return client.get(reverse("directory:search"), {"q": text}, **kwargs)


def text_of(response) -> str:
    """The page with its entities decoded: "l'Ain" rather than "l&#x27;Ain"."""
    return html_module.unescape(response.content.decode())


def assert_csp_friendly(html):
    """No inline style attribute and no script without a source: the CSP would block them."""
    assert 'style="' not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag


# --- The list of funds --------------------------------------------------------------------------


def test_index_lists_every_fund_in_department_order(client, directory, django_assert_num_queries):
    with django_assert_num_queries(1):  # the funds with their office counts
        response = client.get(reverse("directory:index"))

    assert response.status_code == 200
    html = text_of(response)
    assert "<h1>Annuaire des caisses</h1>" in html
    assert html.count('<th scope="row">') == 100
    assert "<caption>" in html
    assert html.index("CPAM de la Corrèze") < html.index("CPAM de la Corse-du-Sud")
    assert html.index("CPAM de la Haute-Corse") < html.index("CPAM de la Côte-d'Or")
    assert html.index("CPAM du Val-d'Oise") < html.index("CGSS de la Guadeloupe")
    assert reverse("directory:fund", args=["59"]) in html
    assert 'name="q"' in html
    assert 'for="directory-search-input"' in html
    assert 'aria-current="page">Annuaire des caisses' in html
    assert_csp_friendly(html)


def test_index_query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    OfficeFactory.create_batch(2)

    with django_assert_num_queries(1):
        response = client.get(reverse("directory:index"))

    assert response.status_code == 200


def test_index_shows_the_office_count_of_each_fund(client):
    fund = FundFactory(department_code="59", name="CPAM du Nord")
    OfficeFactory.create_batch(3, fund=fund)
    FundFactory(department_code="43", name="CPAM de la Haute-Loire")

    html = text_of(client.get(reverse("directory:index")))

    assert re.search(r"CPAM du Nord</a></th>\s*<td>3</td>", html)
    assert re.search(r"CPAM de la Haute-Loire</a></th>\s*<td>0</td>", html)


# --- One fund's page ----------------------------------------------------------------------------


def test_fund_page_shows_each_office_address_and_phone(
    client, directory, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the fund, its offices
        response = client.get(reverse("directory:fund", args=["01"]))

    assert response.status_code == 200
    html = text_of(response)
    assert "<h1>CPAM de l'Ain</h1>" in html
    assert "<title>CPAM de l'Ain" in html
    address = re.search(r"<address[^>]*>(.*?)</address>", html, re.S).group(1)
    assert "place de la Grenouillère" in address
    assert "01015 BOURG EN BRESSE CEDEX" in address
    assert 'href="tel:0474458484">04 74 45 84 84</a>' in html
    assert "1 accueil" in html
    assert 'aria-current="page">CPAM de l\'Ain</a>' in html
    assert f'href="{reverse("directory:index")}">Annuaire des caisses</a>' in html
    assert_csp_friendly(html)


def test_fund_page_shows_the_tariff_note_beside_the_phone(client, directory):
    html = text_of(client.get(reverse("directory:fund", args=["04"])))

    assert 'href="tel:0820904191">0 820 904 191</a>' in html
    assert "(payant)" in html


def test_fund_page_lists_all_offices_in_city_order(client, directory, django_assert_num_queries):
    with django_assert_num_queries(2):
        html = text_of(client.get(reverse("directory:fund", args=["59"])))

    assert "9 accueils" in html
    assert html.count("<address") == 9
    cities = re.findall(r'<h3 class="fr-card__title">([^<]+)</h3>', html)
    assert cities == sorted(cities)
    assert cities[0] == "ARMENTIERES CEDEX"


def test_fund_page_of_guyane_shows_its_three_address_lines(client, directory):
    html = text_of(client.get(reverse("directory:fund", args=["973"])))

    assert "CGSS de la Guyane" in html
    assert "Caisse générale de sécurité sociale" in html
    for line in ("route de Raban", "Espace Turenne Radamonthe", "BP 7015", "97307 CAYENNE CEDEX"):
        assert line in html


def test_fund_without_office_gives_the_national_number(client, directory):
    html = text_of(client.get(reverse("directory:fund", args=["43"])))

    assert "CPAM de la Haute-Loire" in html
    assert "<address" not in html
    assert 'href="tel:3646">36 46</a>' in html
    assert "Un conseiller vous répond au" in html


def test_fund_page_accepts_a_loose_code_and_redirects_to_the_usual_one(client, directory):
    response = client.get(reverse("directory:fund", args=["2a"]))

    assert response.status_code == 301
    assert response["Location"] == reverse("directory:fund", args=["2A"])
    assert client.get(reverse("directory:fund", args=["1"]))["Location"] == reverse(
        "directory:fund", args=["01"]
    )


@pytest.mark.parametrize("code", ["99", "20", "2C", "976", "abc", "0001"])
def test_unknown_department_is_a_404(client, directory, code):
    assert client.get(reverse("directory:fund", args=[code])).status_code == 404


def test_fund_page_query_count_does_not_grow_with_offices(client, django_assert_num_queries):
    fund = FundFactory(department_code="59")
    OfficeFactory.create_batch(12, fund=fund)

    with django_assert_num_queries(2):
        response = client.get(reverse("directory:fund", args=["59"]))

    assert text_of(response).count("<address") == 12


# --- The search ---------------------------------------------------------------------------------


def test_postcode_leads_to_its_fund_page(client, directory, django_assert_num_queries):
    with django_assert_num_queries(2):  # the funds, their offices
        response = search(client, "69003")

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:fund", args=["69"])
    html = text_of(client.get(response["Location"]))
    assert "Code postal 69003 : département Rhône (69)." in html
    assert "LYON CEDEX 06" in html
    assert "VILLEFRANCHE SUR SAONE CEDEX" in html


def test_postcode_written_with_a_space_is_understood(client, directory):
    response = search(client, "69 003")

    assert response["Location"] == reverse("directory:fund", args=["69"])


def test_corsican_postcode_leads_to_its_half(client, directory):
    assert search(client, "20000")["Location"] == reverse("directory:fund", args=["2A"])
    assert search(client, "20200")["Location"] == reverse("directory:fund", args=["2B"])


def test_cedex_code_of_an_office_leads_to_its_fund(client, directory):
    # 97704 is a CEDEX code of La Réunion (977xx), the CGSS's in the seed.
    response = search(client, "97704", follow=True)

    assert response.redirect_chain[-1][0] == reverse("directory:fund", args=["974"])
    assert "SAINT DENIS MESSAG CEDEX 9" in text_of(response)


@pytest.mark.parametrize(
    ("text", "code"), [("1", "01"), ("01", "01"), ("2a", "2A"), ("974", "974")]
)
def test_department_code_leads_to_its_fund_page(client, directory, text, code):
    response = search(client, text)

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:fund", args=[code])


@pytest.mark.parametrize(
    ("text", "fund_name", "office_city"),
    [
        ("lyon", "CPAM du Rhône", "LYON CEDEX 06"),
        ("saint etienne", "CPAM de la Loire", "SAINT ETIENNE CEDEX 1"),
        ("Saint-Étienne", "CPAM de la Loire", "SAINT ETIENNE CEDEX 1"),
        ("Hautes-Alpes", "CPAM des Hautes-Alpes", None),
        ("alpes (hautes)", "CPAM des Hautes-Alpes", None),
        ("reunion", "CGSS de La Réunion", None),
        ("GIRONDE", "CPAM de la Gironde", None),
        ("ajaccio", "CPAM de la Corse-du-Sud", "AJACCIO CEDEX 9"),
    ],
)
def test_name_search_finds_the_fund(
    client, directory, django_assert_num_queries, text, fund_name, office_city
):
    with django_assert_num_queries(2):
        response = search(client, text)

    assert response.status_code == 200
    html = text_of(response)
    assert "1 caisse trouvée pour" in html
    assert f">{fund_name}</a></h3>" in html
    if office_city:
        assert f'<h4 class="fr-card__title">{office_city}</h4>' in html
        assert 'href="tel:' in html
    assert_csp_friendly(html)


def test_name_search_lists_exact_matches_first(client, directory):
    html = text_of(search(client, "loire"))

    assert "7 caisses trouvées pour « loire »" in html
    titles = re.findall(r'<h3 class="fr-mb-1w"><a href="[^"]+">([^<]+)</a></h3>', html)
    assert titles[0] == "CPAM de la Loire"
    assert "CPAM de la Haute-Loire" in titles
    assert "CPAM du Loir-et-Cher" not in titles


def test_search_results_query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    for n in range(5):
        OfficeFactory(city=f"LYON CEDEX {n}")

    with django_assert_num_queries(2):
        response = search(client, "lyon")

    assert text_of(response).count("<address") == 5


@pytest.mark.parametrize("text", ["98000", "00000", "96000", "20800", "1234", "123456"])
def test_unknown_postcode_says_so(client, directory, django_assert_num_queries, text):
    with django_assert_num_queries(0):
        response = search(client, text)

    assert response.status_code == 200
    html = text_of(response)
    assert "Code postal inconnu" in html
    assert f"« {text} » n'est le code postal d'aucun département français" in html
    assert "<title>Erreur : Rechercher une caisse" in html
    assert f'value="{text}"' in html


@pytest.mark.parametrize(("text", "code"), [("97600", "976"), ("976", "976"), ("975", "975")])
def test_overseas_territory_without_fund_gives_the_national_number(client, directory, text, code):
    html = text_of(search(client, text))

    assert "Aucune caisse de cet annuaire pour ce territoire" in html
    assert f"territoire d'outre-mer {code}" in html
    assert 'href="tel:3646">36 46</a>' in html


@pytest.mark.parametrize("text", ["x", "é", " - "])
def test_too_short_search_asks_for_more(client, django_assert_num_queries, text):
    with django_assert_num_queries(0):
        html = text_of(search(client, text))

    assert "Recherche trop courte" in html
    assert "Saisissez au moins 2 caractères" in html


def test_empty_search_invites_to_type(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("directory:search"))

    html = text_of(response)
    assert response.status_code == 200
    assert "Saisissez votre code postal, votre ville ou votre département" in html
    assert "fr-alert--error" not in html
    assert 'aria-current="page">Recherche</a>' in html


@pytest.mark.parametrize("text", ["zzzz", "ABCDE"])
def test_nothing_found_says_so_and_links_to_the_list(client, directory, text):
    html = text_of(search(client, text))

    assert f"Aucune caisse trouvée pour « {text} »" in html
    assert reverse("directory:index") in html


def test_search_text_is_escaped(client, directory):
    html = search(client, "<script>alert(1)</script>").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("url_name", ["directory:index", "directory:search"])
def test_pages_are_read_only(client, url_name):
    assert client.post(reverse(url_name)).status_code == 405
