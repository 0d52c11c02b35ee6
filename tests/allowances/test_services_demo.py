"""The demo builder gives a paid, closed stoppage with its attestation and one in the queue."""

from datetime import UTC, date, datetime

import pytest

from affiliation.models import IssuedDocument
from affiliation.services.documents import verify_code
from allowances.demo import build_demo_allowances
from allowances.models import SalaryAttestation, WorkStoppage
from tests.accounts.factories import StaffFactory
from tests.allowances.factories import insured_with_account

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_demo_builds_a_paid_stoppage_an_attestation_and_a_queue_entry_once():
    holder = insured_with_account()
    codes = build_demo_allowances(holder, StaffFactory(), on=ON, now=NOW)

    closed, waiting = WorkStoppage.objects.filter(person=holder).order_by("start_date")
    assert closed.status == WorkStoppage.Status.CLOSED
    assert closed.payments.count() >= 2
    assert waiting.status == WorkStoppage.Status.RECEIVED
    assert waiting.salary_attestations.get().status == SalaryAttestation.Status.RECEIVED
    (code,) = codes.values()
    from affiliation.rules.documents import normalise_code

    verification = verify_code(normalise_code(code), on=ON)
    assert verification.kind == IssuedDocument.Kind.ALLOWANCE_PAYMENT_ATTESTATION

    assert build_demo_allowances(holder, StaffFactory(), on=ON, now=NOW) == {}
    assert WorkStoppage.objects.filter(person=holder).count() == 2
