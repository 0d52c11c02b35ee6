"""Test helpers shared by the mutuelle API tests: clients, tokens, members, transmissions."""

import datetime
import secrets

from django.utils import timezone
from oauth2_provider.models import AccessToken, set_token_value

from mutuelles.models import MutuelleContract, Transmission
from mutuelles.scopes import SCOPES
from mutuelles.services.clients import create_client
from mutuelles.services.release import route_issued_statements
from reimbursements.services.processing import process_received
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.reimbursements.factories import CARE_DATE, CareSheetFactory, insured

ALL_SCOPES = tuple(SCOPES)
PROCESSED_AT = datetime.datetime(2025, 3, 20, 10, tzinfo=datetime.UTC)


def mutuelle_client(mutuelle=None, scopes=ALL_SCOPES, name="Tiers payant"):
    """(client, plain secret) of a new client of `mutuelle` (a new mutuelle by default)."""
    return create_client(mutuelle or MutuelleFactory(), name, scopes)


def bearer_token(client, scopes=None, *, expires_in: int = 600) -> str:
    """An access token of `client` written directly (the token endpoint has its own tests)."""
    raw = secrets.token_urlsafe(30)
    token = AccessToken(
        application=client.application,
        expires=timezone.now() + datetime.timedelta(seconds=expires_in),
        scope=" ".join(scopes if scopes is not None else client.scope_list),
    )
    set_token_value(token, raw)  # stored as a checksum only (RFC 9700 token storage)
    token.save()
    return raw


def authorization(client, scopes=None) -> dict[str, str]:
    """Headers for DRF's APIClient / Django's test client: `client.get(url, **headers)`."""
    return {"HTTP_AUTHORIZATION": f"Bearer {bearer_token(client, scopes)}"}


def member_of(mutuelle, person=None, *, status=MutuelleContract.Status.CONFIRMED, **fields):
    """A contract of `person` (a new holder by default) with `mutuelle`, both halves agreed."""
    values = {
        "person": person or insured(),
        "mutuelle": mutuelle,
        "member_number": f"ADH{secrets.randbelow(10**8):08d}",
        "valid_from": CARE_DATE - datetime.timedelta(days=365),
        "status": status,
    }
    values.update(fields)
    return MutuelleContract.objects.create(**values)


def paid_transmissions(contract, count: int = 1, **sheet_fields) -> list[Transmission]:
    """`count` care sheets of the contract's person processed by the real pipeline in-process
    (use with the `rules_from_files` fixture): their pending transmissions."""
    for _ in range(count):
        CareSheetFactory(holder=contract.person, **sheet_fields)
    process_received(now=PROCESSED_AT)
    route_issued_statements()  # what the pipeline's wake-up starts after its commit
    return list(
        Transmission.objects.filter(contract=contract).order_by("pk").select_related("statement")
    )
