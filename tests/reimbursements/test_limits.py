"""One set of care-sheet bounds (reimbursements.rules.limits), the same in every layer."""

import datetime
from decimal import Decimal

import pytest

from cpam_portal.parameters import read_parameter_csv
from reimbursements.api.serializers import (
    CareSheetSimulationSerializer,
    LineSerializer,
    YearToDateSerializer,
)
from reimbursements.forms.care_sheets import CareLineForm, CareLineFormSet
from reimbursements.forms.simulator import LineForm, SituationForm
from reimbursements.nomenclature import PARAMETERS_CSV
from reimbursements.rules.limits import MAX_LINE_AMOUNT, MAX_LINES, MAX_QUANTITY
from reimbursements.services.submission import LineInput, form_errors
from tests.affiliation.factories import InsuredPersonFactory
from tests.reimbursements.factories import TODAY, gp_line, sheet_input


def test_the_engine_parameter_holds_the_same_line_amount():
    rows = [row for row in read_parameter_csv(PARAMETERS_CSV) if row.key.endswith(".max_amount")]
    assert rows
    assert {row.decimal for row in rows} == {MAX_LINE_AMOUNT}


def care_line(**values) -> CareLineForm:
    data = {"act_code": "G", "quantity": "1", "amount_charged": "30,00", "base": ""}
    data.update(values)
    return CareLineForm(data)


def test_the_care_sheet_form_takes_a_line_up_to_the_bound():
    assert care_line(amount_charged="15000,00").is_valid()  # refused before the one set
    assert care_line(amount_charged="100000,00", base="100000,00", quantity="1000").is_valid()
    too_much = care_line(amount_charged="100000,01", base="100000,01", quantity="1000,01")
    assert not too_much.is_valid()
    assert set(too_much.errors) == {"amount_charged", "base", "quantity"}


def test_the_care_sheet_form_offers_up_to_the_bound_of_lines():
    formset = CareLineFormSet()
    assert formset.max_num == formset.absolute_max == MAX_LINES


@pytest.mark.django_db
def test_the_service_takes_a_sheet_up_to_the_bounds():
    holder = InsuredPersonFactory(birth_date=datetime.date(1980, 1, 1))
    at_bounds = LineInput("G", MAX_QUANTITY, MAX_LINE_AMOUNT, base=MAX_LINE_AMOUNT)
    assert form_errors(sheet_input(holder, *[at_bounds] * MAX_LINES), on=TODAY) == []
    beyond = LineInput("G", MAX_QUANTITY + Decimal("0.01"), MAX_LINE_AMOUNT + Decimal("0.01"))
    errors = form_errors(sheet_input(holder, beyond, *[gp_line()] * MAX_LINES), on=TODAY)
    assert {error.field for error in errors} == {
        "lines",
        "lines[0].quantity",
        "lines[0].amount_charged",
    }


def test_the_simulator_api_and_page_publish_the_same_bounds():
    serializer = LineSerializer()
    assert serializer.fields["quantity"].max_value == MAX_QUANTITY
    assert serializer.fields["amount_charged"].max_value == MAX_LINE_AMOUNT
    assert serializer.fields["base"].max_value == MAX_LINE_AMOUNT
    assert YearToDateSerializer().fields["franchises"].max_value == MAX_LINE_AMOUNT
    assert CareSheetSimulationSerializer().fields["lines"].max_length == MAX_LINES
    page = LineForm()
    assert page.fields["quantity"].max_value == MAX_QUANTITY
    assert page.fields["amount_charged"].max_value == MAX_LINE_AMOUNT
    assert SituationForm().fields["franchise_year"].max_value == MAX_LINE_AMOUNT
