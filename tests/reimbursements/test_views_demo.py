"""The demo of reimbursements: real sheets through the real pipeline, shown on the pages."""

import datetime

import pytest
from django.urls import reverse

from reimbursements.demo import build_demo_reimbursements
from reimbursements.models import CareSheet, Statement
from tests.affiliation.factories_documents import family_file
from tests.reimbursements.factories import rules_from_files  # noqa: F401 (fixture)
from tests.reimbursements.factories_account import counter_agent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]

TODAY = datetime.date(2025, 11, 20)


def test_the_demo_pays_three_sheets_keeps_one_for_an_agent_and_one_rejected(client):
    family = family_file()
    sheets = build_demo_reimbursements(family.holder, on=TODAY, agent=counter_agent())

    statuses = sorted(sheet.status for sheet in CareSheet.objects.filter(holder=family.holder))
    assert statuses == ["in_review", "paid", "paid", "paid", "rejected"]
    assert len(sheets) == 5
    child = Statement.objects.get(beneficiary=family.child)
    assert child.participation_forfaitaire == 0  # under 18
    assert build_demo_reimbursements(family.holder, on=TODAY) == sheets  # once only

    client.force_login(family.user)
    page = client.get(reverse("reimbursements:payments")).content.decode()
    assert "Pharmacie des Lilas" in page
    detail = client.get(reverse("reimbursements:statement_detail", args=[child.public_id]))
    assert "Pourquoi ce montant ?" in detail.content.decode()
