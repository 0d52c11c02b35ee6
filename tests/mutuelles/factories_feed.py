"""Test helpers of the statement feed: released transmissions and reading the feed to its end."""

import datetime
from decimal import Decimal

from django.urls import reverse

from mutuelles.models import Transmission
from mutuelles.services.release import release_transmissions
from reimbursements.services.processing import process_received
from tests.mutuelles.factories import PROCESSED_AT, member_of, paid_transmissions
from tests.reimbursements.factories import CareSheetFactory, dependant_of

FEED_URL = reverse("api-v1:mutuelle-statements")
TOTALS_URL = reverse("api-v1:mutuelle-statement-totals")
RELEASED_AT = datetime.datetime(2025, 3, 21, 9, tzinfo=datetime.UTC)
# A GP consultation with a majoration: two lines, a participation forfaitaire on the first.
TWO_LINES = [
    {"act_code": "G", "amount_charged": Decimal("30.00")},
    {"act_code": "MCG", "amount_charged": Decimal("3.00")},
]
# A GP outside the OPTAM charging more than the tariff: a dépassement.
WITH_DEPASSEMENT = {
    "sector": "2",
    "lines": [{"act_code": "G", "amount_charged": Decimal("50.00")}],
}
# Two boxes of a medicine at the pharmacy: a franchise médicale (kind "medicine").
AT_THE_PHARMACY = {
    "profession": "pharmacy",
    "has_tiers_payant": True,
    "lines": [
        {
            "act_code": "PH7",
            "quantity": Decimal(2),
            "amount_charged": Decimal("21.00"),
            "base": Decimal("10.50"),
        }
    ],
}


def statement_url(transmission) -> str:
    return reverse("api-v1:mutuelle-statement", args=[transmission.public_id])


def acknowledge_url(transmission) -> str:
    return reverse("api-v1:mutuelle-statement-acknowledge", args=[transmission.public_id])


def reject_url(transmission) -> str:
    return reverse("api-v1:mutuelle-statement-reject", args=[transmission.public_id])


def released(mutuelle, count: int = 1, *, at=RELEASED_AT, contract=None, **sheet_fields):
    """`count` transmissions of a member of `mutuelle` through the real pipeline, released at
    `at` (use with the `rules_from_files` fixture), in feed order."""
    contract = contract or member_of(mutuelle)
    before = set(Transmission.objects.filter(contract=contract).values_list("pk", flat=True))
    paid_transmissions(contract, count, **sheet_fields)
    release_transmissions(now=at)
    return list(
        Transmission.objects.filter(contract=contract)
        .exclude(pk__in=before)
        .order_by("feed_position")
    )


def released_for_a_child(mutuelle, *, at=RELEASED_AT):
    """A transmission for a dependant (rank 2) on a holder's file, released at `at`."""
    contract = member_of(mutuelle)
    child = dependant_of(contract.person)
    child_contract = member_of(mutuelle, child)
    CareSheetFactory(holder=contract.person, beneficiary=child)
    process_received(now=PROCESSED_AT)
    release_transmissions(now=at)
    return Transmission.objects.get(contract=child_contract)


def read_feed(api_client, headers, url=FEED_URL, **params) -> tuple[list[dict], dict]:
    """Every document from `url` following `next` links; (documents, last page)."""
    documents = []
    response = api_client.get(url, params, **headers)
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        documents += page["results"]
        if not page["next"]:
            return documents, page
        response = api_client.get(page["next"], **headers)
