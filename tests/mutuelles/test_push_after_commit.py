"""The pipeline pushes after its commit: a paid statement of a confirmed member reaches the
mutuelle's webhook without waiting for the beat sweep (tasks run eagerly in tests)."""

import pytest

from mutuelles.models import Transmission
from reimbursements.services.processing import process_received
from tests.mutuelles.factories import PROCESSED_AT, member_of
from tests.mutuelles.factories_delivery import mutuelle_with_webhook, simulator_for
from tests.reimbursements.factories import CareSheetFactory, rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rules_from_files")]


def test_a_paid_statement_reaches_the_webhook_once_the_batch_commits():
    mutuelle, endpoint = mutuelle_with_webhook()
    contract = member_of(mutuelle)
    with simulator_for(endpoint) as receiver:
        CareSheetFactory(holder=contract.person)
        process_received(now=PROCESSED_AT)

        transmission = Transmission.objects.get(contract=contract)
        assert transmission.status == Transmission.Status.SENT
        assert receiver.received()["statements"] == [str(transmission.public_id)]
