"""The public verification page: genuine or not, validity, initials and birth year, nothing else."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from affiliation.models import CardOrder
from affiliation.rules.documents import format_code
from affiliation.services import documents as services
from tests.affiliation.factories_documents import family_file, pdf_text

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
UNKNOWN = "ABCD-EFGH-JKLM-NPQR"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The counters live in the database cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(monkeypatch):
    """An attestation issued on NOW, with the code printed on it."""
    codes = []
    real = services.new_verification_code

    def remember():
        codes.append(real())
        return codes[-1]

    monkeypatch.setattr(services, "new_verification_code", remember)
    family = family_file()
    with time_machine.travel(NOW, tick=False):
        document = services.issue_attestation(family.holder, language="fr", on=NOW.date(), now=NOW)
    return family, document, codes[-1]


def check(client, code, *, at=NOW, **extra):
    with time_machine.travel(at, tick=False):
        return client.post(reverse("affiliation:verify"), {"code": code}, **extra)


def test_a_genuine_valid_attestation(client, issued):
    family, document, code = issued

    response = check(client, code)

    assert response.status_code == 200
    result = response.context["verification"]
    assert result.is_genuine and result.state == "valid"
    assert (result.holder_initials, result.holder_birth_year) == ("C. L.", 1985)
    page = response.content.decode()
    assert "Document authentique et valable" in page
    assert "du 23/11/2026 au 22/11/2027 inclus" in page
    assert "C. L." in page and "1985" in page
    # Nothing else about the person: no name, no NIR, no birth date, no beneficiary.
    for secret in (
        family.holder.last_name,
        family.holder.first_names,
        family.holder.nir,
        "14/03/1985",
        "Moreau",
        "MOREAU",
        "ALD",
    ):
        assert secret not in page
    assert code not in page  # not even the code typed: the form comes back empty


def test_the_code_may_be_typed_in_lower_case_without_dashes(client, issued):
    _family, _document, code = issued
    response = check(client, code.lower().replace("-", " "))
    assert response.context["verification"].is_genuine


def test_the_qr_link_verifies_the_code_in_its_url(client, issued):
    _family, _document, code = issued
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("affiliation:verify_code", args=[code]))
    assert response.status_code == 200
    assert response.context["verification"].is_genuine


def test_an_expired_attestation(client, issued):
    response = check(client, issued[2], at=datetime.datetime(2027, 11, 23, 9, tzinfo=datetime.UTC))
    assert response.context["verification"].state == "expired"
    assert "Document authentique mais expiré" in response.content.decode()
    response = check(client, issued[2], at=datetime.datetime(2027, 11, 22, 9, tzinfo=datetime.UTC))
    assert response.context["verification"].state == "valid"


def test_a_revoked_attestation(client, issued):
    _family, document, code = issued
    services.revoke_document(document, reason="fraude", now=NOW)
    response = check(client, code)
    assert response.context["verification"].state == "revoked"
    assert "révoqué" in response.content.decode()


def test_an_unknown_code_gets_the_same_page_saying_so(client, issued):
    _family, _document, code = issued
    known = check(client, code)
    unknown = check(client, UNKNOWN)

    assert unknown.status_code == known.status_code == 200
    assert unknown.templates[0].name == known.templates[0].name
    assert unknown.context["verification"].is_genuine is False
    assert "Aucun document ne correspond à ce code" in unknown.content.decode()


def test_known_and_unknown_codes_cost_the_same_queries(client, issued):
    _family, _document, code = issued
    check(client, UNKNOWN)  # the session and the cache row exist from now on
    counts = []
    for typed in (code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", code.lower()):
        with CaptureQueriesContext(connection) as queries:
            check(client, typed)
        counts.append(len(queries))
    # The database cache's add and incr (each with its culling count and savepoint), and one
    # lookup of the document by digest: the same for all. No session for a visitor.
    assert counts == [13, 13, 13]


def test_a_malformed_code_is_explained(client):
    response = check(client, "1234-ABCD")
    assert response.status_code == 200
    assert response.context["verification"] is None
    assert "n'a pas le bon format" in response.context["form"].errors["code"][0]


def test_the_page_is_not_indexed_and_sends_no_referrer(client, issued):
    for response in (
        client.get(reverse("affiliation:verify")),
        check(client, issued[2]),
        client.get(reverse("affiliation:verify_code", args=[UNKNOWN])),
    ):
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
        assert "no-store" in response["Cache-Control"]


def test_ten_lookups_per_ten_minutes_then_429(client, issued):
    _family, _document, code = issued
    for attempt in range(10):
        response = check(client, format_code(f"{attempt + 2}" * 16))
        assert response.status_code == 200

    refused = check(client, code)  # even the right code, once over the limit
    assert refused.status_code == 429
    assert refused.context["verification"] is None
    assert "Trop de vérifications" in refused.content.decode()
    with time_machine.travel(NOW, tick=False):
        qr = client.get(reverse("affiliation:verify_code", args=[code]))
    assert qr.status_code == 429
    # Another address is not affected.
    assert check(client, code, REMOTE_ADDR="192.0.2.7").status_code == 200
    # The next window opens the door again.
    later = NOW + datetime.timedelta(minutes=10)
    assert check(client, code, at=later).context["verification"].is_genuine


def test_malformed_lookups_count_too(client):
    for _ in range(10):
        assert check(client, "nope").status_code == 200
    assert check(client, UNKNOWN).status_code == 429


def test_the_empty_form_is_public_and_costs_no_lookup(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("affiliation:verify"))
    assert response.status_code == 200
    assert response.context["verification"] is None


def test_the_code_returned_at_issue_is_the_one_printed(issued):
    _family, document, code = issued
    with storages["private"].open(document.pdf_name, "rb") as handle:
        assert code in pdf_text(handle.read())


def test_the_demo_documents_verify_as_their_labels_say(client):
    family = family_file()
    with time_machine.travel(NOW, tick=False):
        codes = services.build_demo_documents(family.holder, on=NOW.date(), now=NOW)
    states = {
        label: check(client, code).context["verification"].state for label, code in codes.items()
    }
    assert states == {
        "attestation valable (fr)": "valid",
        "attestation valable (en)": "valid",
        "attestation révoquée": "revoked",
        "attestation expirée": "expired",
        "certificat provisoire CEAM (en)": "valid",
    }
    assert CardOrder.objects.filter(invalidated_at__isnull=False).count() == 1
    assert CardOrder.objects.filter(status="ordered").count() == 2


def test_a_browser_sending_origin_null_can_check_a_code(issued):
    """The page sends no referrer, so browsers post its form with `Origin: null`."""
    _family, _document, code = issued
    browser = Client(enforce_csrf_checks=True)
    response = check(browser, code, HTTP_ORIGIN="null")
    assert response.status_code == 200
    assert response.context["verification"].is_genuine
    assert not browser.cookies  # no session, no CSRF cookie for an anonymous lookup
