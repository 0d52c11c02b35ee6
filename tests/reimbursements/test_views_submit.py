"""Sending a paper care sheet online: the form, its lines, its scan, and what is refused."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from reimbursements.forms.care_sheets import PATHWAYS
from reimbursements.models import CareSheet, Pathway
from tests.affiliation.factories_requests import ELF_HEADER, pdf_bytes, png_bytes, upload
from tests.reimbursements.factories import rpps, rules_from_files  # noqa: F401 (fixture)
from tests.reimbursements.factories_account import dependant_of, holder_with_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]

SUBMIT = reverse("reimbursements:submit_care_sheet")
TODAY = datetime.datetime(2025, 3, 20, 10, 0, tzinfo=datetime.UTC)
KEY = "0b5c4a8e-4f7e-4c1e-9d2a-6a1f3e5b7c90"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def holder(client):
    person = holder_with_account()
    client.force_login(person.user)
    return person


def form_data(beneficiary, lines=(("G", "1", "30,00"),), **fields) -> dict:
    data = {
        "idempotency_key": KEY,
        "beneficiary": str(beneficiary.pk),
        "care_date": "2025-03-04",
        "professional_name": "Dr Anne Durand",
        "professional_number": rpps(1),
        "profession": "general_practitioner",
        "sector": "1",
        "pathway": "declared_gp",
        "has_tiers_payant": "no",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "20",
        "scan": upload("feuille.pdf", pdf_bytes()),
        "send": "1",
    }
    for index, (code, quantity, amount) in enumerate(lines):
        data[f"lines-{index}-act_code"] = code
        data[f"lines-{index}-quantity"] = quantity
        data[f"lines-{index}-amount_charged"] = amount
    data.update(fields)
    return data


def stored_scans() -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [path for path in root.rglob("*") if path.is_file()]


def summary_anchors(response) -> set[str]:
    return {error["anchor"] for error in response.context["errors"]}


def test_the_form_starts_with_a_fresh_key_three_lines_and_the_holder_chosen(client, holder):
    response = client.get(SUBMIT)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["idempotency_key"].value()
    assert form["beneficiary"].value() == holder.pk
    assert response.context["formset"].total_form_count() == 3
    other = client.get(SUBMIT).context["form"]["idempotency_key"].value()
    assert other != form["idempotency_key"].value()


def test_a_sheet_is_recorded_with_its_lines_and_scan(client, holder):
    child = dependant_of(holder, first_names="Léa")
    data = form_data(child, lines=[("g", "1", "30,00"), ("MCG", "1", "5,00")])
    response = client.post(SUBMIT, data)

    sheet = CareSheet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reimbursements:care_sheet_detail", args=[sheet.public_id]
    )
    assert (sheet.holder, sheet.beneficiary, sheet.channel) == (holder, child, "online")
    assert sheet.status == CareSheet.Status.RECEIVED
    assert sheet.submitted_by == holder.user
    assert [(line.act_code, str(line.amount_charged)) for line in sheet.lines.all()] == [
        ("G", "30.00"),
        ("MCG", "5.00"),
    ]
    assert sheet.scan_content_type == "application/pdf"
    assert len(stored_scans()) == 1
    page = client.get(response["Location"]).content.decode()
    assert "Votre feuille de soins est envoyée" in page
    assert "en cours de traitement" in page


def test_sending_the_same_form_twice_records_one_sheet(client, holder):
    first = client.post(SUBMIT, form_data(holder))
    second = client.post(SUBMIT, form_data(holder))  # double click, or refresh and resend

    assert CareSheet.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    page = client.get(second["Location"]).content.decode()
    assert "avait déjà été reçue" in page
    assert len(stored_scans()) == 1


def test_the_same_sheet_sent_again_in_a_new_form_is_refused_as_a_duplicate(client, holder):
    client.post(SUBMIT, form_data(holder))
    response = client.post(
        SUBMIT, form_data(holder, idempotency_key="7d1e2f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6")
    )

    assert response.status_code == 400
    assert CareSheet.objects.count() == 1
    page = response.content.decode()
    assert "a déjà été reçue le" in page
    assert "ne sera pas payée deux fois" in page
    existing = CareSheet.objects.get()
    assert (
        reverse("reimbursements:care_sheet_detail", args=[existing.public_id]) in page
    )  # "see the sheet already received"
    assert len(stored_scans()) == 1


def test_the_same_key_with_other_values_asks_to_check_and_gets_a_new_key(client, holder):
    client.post(SUBMIT, form_data(holder))
    response = client.post(SUBMIT, form_data(holder, lines=[("G", "1", "35,00")]))

    assert response.status_code == 400
    assert CareSheet.objects.count() == 1
    assert "Ce formulaire a déjà été envoyé avec d&#x27;autres informations" in (
        response.content.decode()
    )
    assert response.context["form"]["idempotency_key"].value() != KEY


def test_every_mistake_is_named_and_nothing_is_saved(client, holder):
    data = form_data(
        holder,
        lines=[("G", "1", "-5"), ("", "", "12,00")],
        care_date="2025-04-02",  # after today
        professional_number="12345678901",  # bad Luhn key
        professional_name="",
        scan=upload("feuille.pdf", ELF_HEADER),
    )
    response = client.post(SUBMIT, data)

    assert response.status_code == 400
    assert summary_anchors(response) >= {
        "id_care_date",
        "id_professional_number",
        "id_professional_name",
        "id_scan",
        "id_lines-0-amount_charged",
        "id_lines-1-act_code",
    }
    page = response.content.decode()
    assert "Le formulaire contient des erreurs" in page
    assert "La date des soins ne peut pas être dans le futur." in page
    assert "Acte 1 — Montant payé (€)" in page
    assert not CareSheet.objects.exists()
    assert stored_scans() == []


def test_a_sheet_without_any_act_or_scan_is_refused(client, holder):
    data = form_data(holder, lines=[])
    del data["scan"]
    response = client.post(SUBMIT, data)
    assert response.status_code == 400
    messages = [error["message"] for error in response.context["errors"]]
    assert "Indiquez au moins un acte avec son code et le montant payé." in messages
    assert "Joignez la feuille de soins scannée ou photographiée." in messages


def test_the_services_refusals_land_on_their_fields(client, holder):
    """An act code the nomenclature does not hold on that date, on the line that carries it."""
    response = client.post(
        SUBMIT, form_data(holder, lines=[("G", "1", "30,00"), ("ZZZ9", "1", "12,00")])
    )
    assert response.status_code == 400
    assert summary_anchors(response) == {"id_lines-1-act_code"}
    assert "ZZZ9" in response.content.decode()
    assert not CareSheet.objects.exists()


def test_care_for_a_person_not_covered_that_day_is_refused(client, holder):
    response = client.post(SUBMIT, form_data(holder, care_date="2019-06-01"))
    assert response.status_code == 400
    assert not CareSheet.objects.exists()
    assert "id_care_date" in summary_anchors(response) or "id_beneficiary" in summary_anchors(
        response
    )


def test_someone_elses_person_cannot_be_chosen(client, holder):
    stranger = holder_with_account()
    response = client.post(SUBMIT, form_data(stranger))
    assert response.status_code == 400
    assert "id_beneficiary" in summary_anchors(response)
    assert not CareSheet.objects.exists()


def test_an_image_scan_is_accepted_and_an_adeli_number_too(client, holder):
    data = form_data(
        holder,
        profession="nurse",
        professional_number="75 123 456 1",
        lines=[("AMI", "1,5", "9,45")],
        scan=upload("feuille.png", png_bytes(), "image/png"),
    )
    response = client.post(SUBMIT, data)
    assert response.status_code == 302, response.context["errors"]
    sheet = CareSheet.objects.get()
    assert (sheet.professional_number, sheet.scan_content_type) == ("751234561", "image/png")
    assert str(sheet.lines.get().quantity) == "1.50"


def test_a_large_total_waits_for_an_agent(client, holder):
    response = client.post(
        SUBMIT, form_data(holder, lines=[("G", "1", "30,00"), ("APC", "1", "320,00")])
    )
    assert response.status_code == 302, response.context["errors"]
    assert CareSheet.objects.get().status == CareSheet.Status.IN_REVIEW


def test_adding_a_line_keeps_what_was_typed_and_saves_nothing(client, holder):
    data = form_data(holder, lines=[("G", "1", "30,00")], add_line="1")
    del data["send"]
    response = client.post(SUBMIT, data)

    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 4
    assert response.context["form"]["professional_name"].value() == "Dr Anne Durand"
    assert response.context["formset"].forms[0]["act_code"].value() == "G"
    assert response.context["form"]["idempotency_key"].value() == KEY
    assert "Choisissez à nouveau le fichier" in response.content.decode()
    assert not response.context["errors"]
    assert not CareSheet.objects.exists()


def test_the_pathway_choices_are_the_models():
    assert [value for value, _label in PATHWAYS] == list(Pathway.values)


def test_a_pharmacy_line_carries_the_base_printed_on_the_sheet(client, holder):
    data = form_data(
        holder,
        profession="pharmacy",
        lines=[("PH7", "2", "9,80")],
        **{"lines-0-base": "4,90"},
    )
    response = client.post(SUBMIT, data)
    assert response.status_code == 302, response.context["errors"]
    line = CareSheet.objects.get().lines.get()
    assert (line.act_code, str(line.quantity), str(line.base)) == ("PH7", "2.00", "4.90")


def test_a_missing_radio_choice_links_to_its_group(client, holder):
    data = form_data(holder)
    del data["sector"]
    response = client.post(SUBMIT, data)
    assert response.status_code == 400
    assert summary_anchors(response) == {"id_sector-fieldset"}
    assert 'id="id_sector-fieldset"' in response.content.decode()
