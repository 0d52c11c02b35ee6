"""Helpers of the members and eligibility tests: a subscription body, calls with a token."""

import datetime
import json

from django.urls import reverse

from affiliation.models import Beneficiary
from tests.mutuelles.factories import authorization

MEMBERS_URL = reverse("api-v1:mutuelle-members")
ELIGIBILITY_URL = reverse("api-v1:mutuelle-eligibility")


def member_url(contract) -> str:
    return reverse("api-v1:mutuelle-member", args=[contract.public_id])


def end_url(contract) -> str:
    return reverse("api-v1:mutuelle-member-end", args=[contract.public_id])


def subscription_body(person, **fields) -> dict:
    """A subscription of `person` as named on their first file (holder's NIR + rank)."""
    entry = Beneficiary.objects.filter(person=person).select_related("holder").order_by("rank")[0]
    body = {
        "nir": entry.holder.nir,
        "rank": entry.rank,
        "birth_date": person.birth_date.isoformat(),
        "contract_reference": "CTR-2025-001",
        "member_number": "ADH-0042",
        "valid_from": "2025-01-01",
        "valid_until": None,
    }
    body.update(fields)
    return body


def post_json(client, url, body, headers=None, **extra):
    """A JSON POST with `headers` (e.g. authorization(...)) through Django's test client."""
    return client.post(
        url, json.dumps(body), content_type="application/json", **(headers or {}), **extra
    )


def subscribe(client, api_client, body, **extra):
    return post_json(client, MEMBERS_URL, body, authorization(api_client), **extra)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
