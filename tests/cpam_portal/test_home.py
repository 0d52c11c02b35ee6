import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_says_what_a_person_can_do_and_links_to_it(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trouver ma caisse" in html
    assert reverse("directory:index") in html
    assert reverse("directory:search") in html
    assert reverse("account_signup") in html
    assert reverse("account_login") in html
    assert 'lang="fr"' in html


def test_home_in_english_after_the_language_switch(client):
    response = client.get(reverse("switch_language", args=["en"]), {"next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in html
    assert "Find my fund" in html


def test_health_answers_ok(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client):
    response = client.get(
        reverse("switch_language", args=["xx"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies
