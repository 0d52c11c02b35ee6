"""Mes remboursements: the insured person's statements, sheets, and who may see them."""

import datetime

import pytest
from django.urls import reverse

from reimbursements.models import CareSheet
from tests.accounts.factories import UserFactory
from tests.reimbursements.factories_account import (
    dependant_of,
    holder_with_account,
    leave_file,
    paid_sheet,
    sheet_in_state,
)

pytestmark = pytest.mark.django_db

PAYMENTS = reverse("reimbursements:payments")
SHEETS = reverse("reimbursements:care_sheets")


def statement_url(statement) -> str:
    return reverse("reimbursements:statement_detail", args=[statement.public_id])


def sheet_url(sheet) -> str:
    return reverse("reimbursements:care_sheet_detail", args=[sheet.public_id])


def logged_in(client, holder):
    client.force_login(holder.user)
    return client


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("reimbursements:payments", []),
        ("reimbursements:care_sheets", []),
        ("reimbursements:submit_care_sheet", []),
        ("reimbursements:export_csv", []),
        ("reimbursements:monthly_statement", [2025, 3]),
        ("reimbursements:statement_detail", ["5f0c6a4e-8c8e-4a0e-9a57-3f7c5d2b1a10"]),
        ("reimbursements:care_sheet_detail", ["5f0c6a4e-8c8e-4a0e-9a57-3f7c5d2b1a10"]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_account_without_a_file_is_sent_to_link_it(client):
    client.force_login(UserFactory())
    response = client.get(PAYMENTS)
    assert response.status_code == 302
    assert response["Location"] == reverse("affiliation:link_account")


def test_my_dependants_statements_are_mine_another_files_are_not_found(client):
    holder = holder_with_account()
    child = dependant_of(holder, first_names="Léa")
    mine = paid_sheet(holder)
    childs = paid_sheet(holder, child)
    other = holder_with_account()
    theirs = paid_sheet(other)
    logged_in(client, holder)

    listed = client.get(PAYMENTS).context["page"].object_list
    assert {statement.pk for statement in listed} == {mine.pk, childs.pk}
    assert client.get(statement_url(childs)).status_code == 200
    assert client.get(statement_url(theirs)).status_code == 404
    assert client.get(sheet_url(theirs.care_sheet)).status_code == 404


def test_a_person_who_left_my_file_takes_their_care_with_them(client):
    holder = holder_with_account()
    child = dependant_of(holder)
    statement = paid_sheet(holder, child)
    rejected = sheet_in_state(holder, child, status=CareSheet.Status.REJECTED, code="R01")
    leave_file(holder, child)
    logged_in(client, holder)

    assert list(client.get(PAYMENTS).context["page"].object_list) == []
    assert client.get(statement_url(statement)).status_code == 404
    assert client.get(sheet_url(rejected)).status_code == 404
    assert list(client.get(SHEETS).context["page"].object_list) == []
    response = client.get(reverse("reimbursements:export_csv"))
    assert "Dr Anne Durand" not in response.content.decode()


# --- Statement detail ---------------------------------------------------------------------------


def test_the_statement_explains_each_amount_and_shows_the_years_caps(client):
    holder = holder_with_account()
    statement = paid_sheet(holder, lines=2)
    logged_in(client, holder)

    response = client.get(statement_url(statement))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Pourquoi ce montant ?" in page
    assert "Consultations et actes des médecins : remboursés à 70 %" in page
    assert "Participation forfaitaire de 2,00 € retenue." in page
    assert "En vigueur depuis le 15 mai 2024." in page
    # Two lines of 2 € PF this year, against the 50 € cap in force on the date of care.
    counters = response.context["counters"]
    assert (counters.year, counters.participation.used) == (2025, 4)
    assert counters.participation.cap == 50
    assert "4,00 € sur 50,00 €" in page
    assert "0,00 € sur 50,00 €" in page  # franchises


def test_the_sheets_page_lists_sheets_in_progress_and_rejected_with_their_reason(client):
    holder = holder_with_account()
    paid = paid_sheet(holder)
    received = sheet_in_state(holder)
    rejected = sheet_in_state(holder, status=CareSheet.Status.REJECTED, code="R01")
    logged_in(client, holder)

    response = client.get(SHEETS)

    assert {s.pk for s in response.context["page"].object_list} == {received.pk, rejected.pk}
    assert paid.care_sheet.pk not in {s.pk for s in response.context["page"].object_list}
    page = response.content.decode()
    assert "n&#x27;avait pas de droits ouverts à la date des soins" in page
    assert "R01" in page
    detail = client.get(sheet_url(rejected)).content.decode()
    assert "Feuille rejetée" in detail and "R01" in detail


def test_a_paid_sheet_links_to_its_statement(client):
    holder = holder_with_account()
    statement = paid_sheet(holder)
    logged_in(client, holder)
    response = client.get(sheet_url(statement.care_sheet))
    assert statement_url(statement) in response.content.decode()


# --- Filters ------------------------------------------------------------------------------------


def test_filters_by_period_person_and_kind_of_care(client):
    holder = holder_with_account()
    child = dependant_of(holder)
    march = paid_sheet(holder, paid_on=datetime.date(2025, 3, 10))
    april_child = paid_sheet(holder, child, paid_on=datetime.date(2025, 4, 10))
    april_dentist = paid_sheet(holder, paid_on=datetime.date(2025, 4, 12), profession="dentist")
    logged_in(client, holder)

    def listed(**query):
        response = client.get(PAYMENTS, query)
        assert response.status_code == 200
        return {statement.pk for statement in response.context["page"].object_list}

    assert listed(start="2025-04-01") == {april_child.pk, april_dentist.pk}
    assert listed(start="01/03/2025", end="31/03/2025") == {march.pk}
    assert listed(beneficiary="2") == {april_child.pk}
    assert listed(kind="dentist") == {april_dentist.pk}
    assert listed(kind="general_practitioner", beneficiary="1") == {march.pk}


def test_a_bad_filter_is_reported_and_left_out(client):
    holder = holder_with_account()
    statement = paid_sheet(holder)
    logged_in(client, holder)
    response = client.get(PAYMENTS, {"start": "2025-13-45", "beneficiary": "9"})
    assert {s.pk for s in response.context["page"].object_list} == {statement.pk}
    assert "Le formulaire contient des erreurs" in response.content.decode()
    assert {error["anchor"] for error in response.context["filter_errors"]} == {
        "id_start",
        "id_beneficiary",
    }


def test_the_filters_follow_to_the_next_page_and_to_the_export(client):
    holder = holder_with_account()
    for day in range(1, 23):
        paid_sheet(holder, paid_on=datetime.date(2025, 3, day))
    logged_in(client, holder)
    response = client.get(PAYMENTS, {"kind": "general_practitioner"})
    page = response.content.decode()
    assert "?kind=general_practitioner&amp;page=2" in page
    assert reverse("reimbursements:export_csv") + "?kind=general_practitioner" in page
    assert len(client.get(PAYMENTS, {"page": 2}).context["page"].object_list) == 2


# --- Query counts -------------------------------------------------------------------------------

# Session, user and usersessions' bookkeeping before the view runs, the person's file, then the
# page's own queries (see each test).
FRAMEWORK_QUERIES = 10


@pytest.mark.parametrize("rows", [2, 15])
def test_the_payments_page_costs_the_same_whatever_its_rows(
    client, django_assert_num_queries, rows
):
    holder = holder_with_account()
    child = dependant_of(holder)
    for index in range(rows):
        paid_sheet(holder, child if index % 2 else None, lines=2)
    logged_in(client, holder).get(PAYMENTS)  # the session's first request records it
    # file, persons on the file, count, page (statements with payment, person, sheet),
    # their transmissions, the beneficiaries' contracts, months with payments, sheets in progress
    with django_assert_num_queries(FRAMEWORK_QUERIES + 8):
        response = client.get(PAYMENTS)
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [2, 15])
def test_the_sheets_page_costs_the_same_whatever_its_rows(client, django_assert_num_queries, rows):
    holder = holder_with_account()
    for _index in range(rows):
        sheet_in_state(holder, status=CareSheet.Status.REJECTED, code="R02")
    logged_in(client, holder).get(SHEETS)
    # file, count, page (sheets with person)
    with django_assert_num_queries(FRAMEWORK_QUERIES + 3):
        client.get(SHEETS)


@pytest.mark.parametrize("lines", [1, 6])
def test_the_statement_page_costs_the_same_whatever_its_lines(
    client, django_assert_num_queries, lines
):
    holder = holder_with_account()
    statement = paid_sheet(holder, lines=lines)
    logged_in(client, holder).get(PAYMENTS)
    # file, statement (payment, person, sheet), transmissions, contracts, lines, ledger year, caps
    with django_assert_num_queries(FRAMEWORK_QUERIES + 7):
        client.get(statement_url(statement))
