"""The monthly statement PDF: the month's paid lines, in the reader's language, only mine."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from reimbursements.statements_pdf import month_lines, render_monthly_statement
from reimbursements.views.scope import visible_lines
from tests.affiliation.factories_documents import pdf_text
from tests.reimbursements.factories_account import (
    dependant_of,
    holder_with_account,
    leave_file,
    paid_sheet,
)

pytestmark = pytest.mark.django_db


def march_url() -> str:
    return reverse("reimbursements:monthly_statement", args=[2025, 3])


def test_the_statement_lists_the_months_paid_lines_and_totals(client):
    holder = holder_with_account(last_name="Lefèvre", first_names="Camille")
    child = dependant_of(holder, first_names="Léa", last_name="Lefèvre")
    paid_sheet(holder, lines=2, paid_on=datetime.date(2025, 3, 10))
    paid_sheet(holder, child, paid_on=datetime.date(2025, 3, 28), tiers_payant=True)
    paid_sheet(holder, paid_on=datetime.date(2025, 4, 2), professional_name="Dr Avril")
    client.force_login(holder.user)

    response = client.get(march_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="releve-remboursements-2025-03.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Relevé de remboursements — mars 2025" in text
    assert "LEFÈVRE Camille" in text
    assert text.count("Dr Anne Durand") == 3
    assert "Léa LEFÈVRE" in text
    assert "Dr Avril" not in text  # paid in April
    assert "19.00 €" in text or "19,00 €" in text
    # 2 lines paid to me, 1 to the professional under tiers payant; 2 € PF on each line.
    assert "Remboursé sur votre compte 38,00 €" in text
    assert "Payé aux professionnels (tiers payant) 19,00 €" in text
    assert "Retenu (participations forfaitaires, franchises, forfaits) 6,00 €" in text


def test_the_statement_is_in_english_for_an_english_reader(client, settings):
    holder = holder_with_account()
    paid_sheet(holder)
    client.force_login(holder.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # what the language switch sets
    text = pdf_text(client.get(march_url()).content)
    assert "Statement of reimbursements — March 2025" in text
    assert "Reimbursed to your account €19.00" in text
    assert "Remboursé" not in text


def test_an_unknown_language_falls_back_to_french():
    holder = holder_with_account()
    paid_sheet(holder)
    with translation.override("de"):
        content = render_monthly_statement(
            holder,
            datetime.date(2025, 3, 1),
            month_lines(visible_lines(holder), datetime.date(2025, 3, 1)),
            language="de",
            issued_on=datetime.date(2025, 4, 1),
        )
    assert "Relevé de remboursements" in pdf_text(content)


def test_a_month_without_payments_and_another_files_months_are_not_found(client):
    holder = holder_with_account()
    paid_sheet(holder_with_account(), paid_on=datetime.date(2025, 3, 10))
    client.force_login(holder.user)
    assert client.get(march_url()).status_code == 404
    assert (
        client.get(reverse("reimbursements:monthly_statement", args=[2025, 13])).status_code == 404
    )


def test_a_person_who_left_my_file_is_not_on_my_statement(client):
    holder = holder_with_account()
    child = dependant_of(holder, first_names="Noé")
    paid_sheet(holder, professional_name="Dr Holder")
    paid_sheet(holder, child, professional_name="Dr Child")
    leave_file(holder, child)
    client.force_login(holder.user)
    text = pdf_text(client.get(march_url()).content)
    assert "Dr Holder" in text
    assert "Dr Child" not in text


def test_text_typed_by_a_person_stays_text_in_the_pdf(client):
    holder = holder_with_account()
    paid_sheet(holder, professional_name='<img src="file:///etc/passwd">Dr X')
    client.force_login(holder.user)
    text = pdf_text(client.get(march_url()).content)
    assert '<img src="file:///etc/passwd">Dr X' in text
