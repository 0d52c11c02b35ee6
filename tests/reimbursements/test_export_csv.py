"""CSV export of the insured person's reimbursement lines: filters, scope, formula cells."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from reimbursements.exports import cell, csv_text, neutralised
from tests.reimbursements.factories_account import dependant_of, holder_with_account, paid_sheet

EXPORT = reverse("reimbursements:export_csv")


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets detect UTF-8 by the byte-order mark
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Dr Durand", "Dr Durand"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(value, expected):
    assert neutralised(value) == expected


def test_numbers_and_dates_are_written_for_french_spreadsheets_never_neutralised():
    assert cell(Decimal("-2.00")) == "-2,00"
    assert cell(Decimal("0.7")) == "0,70"
    assert cell(datetime.date(2025, 3, 4)) == "04/03/2025"
    assert cell(None) == ""
    assert csv_text(["a", "=b"], [["=x", Decimal("1.5")]]) == "a;'=b\r\n'=x;1,50\r\n"


@pytest.mark.django_db
def test_the_export_has_one_row_per_line_with_filters_and_only_my_file(client):
    holder = holder_with_account()
    child = dependant_of(holder, first_names="Léa")
    paid_sheet(holder, lines=2, professional_name='=HYPERLINK("http://evil")')
    paid_sheet(holder, child, paid_on=datetime.date(2025, 4, 1))
    paid_sheet(holder_with_account(), professional_name="Dr Autre")
    client.force_login(holder.user)

    response = client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header[:4] == [
        "Date du décompte",
        "Référence du virement",
        "Virement à",
        "Personne soignée",
    ]
    assert len(rows) == 3
    assert all("Dr Autre" not in row for row in rows)
    assert {row[5] for row in rows} == {'\'=HYPERLINK("http://evil")', "Dr Anne Durand"}
    first = rows[-1]
    assert first[7:10] == ["G", "1,00", "30,00"]
    assert first[16] == "19,00"  # montant remboursé

    _header, *april = rows_of(client.get(EXPORT, {"start": "2025-04-01"}))
    assert [row[3] for row in april] == [f"Léa {child.last_name}"]


@pytest.mark.django_db
@pytest.mark.parametrize("statements", [1, 12])
def test_the_export_costs_the_same_whatever_its_rows(client, django_assert_num_queries, statements):
    holder = holder_with_account()
    for _index in range(statements):
        paid_sheet(holder, lines=2)
    client.force_login(holder.user)
    client.get(EXPORT)
    # Framework (10), the file, persons on the file, the lines with statement, payment, person
    # and sheet in one query.
    with django_assert_num_queries(13):
        response = client.get(EXPORT)
    assert len(rows_of(response)) == 1 + 2 * statements
