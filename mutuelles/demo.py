"""Demo data of the mutuelle link for `make run`, on affiliation's demo family (Camille Martin).

`declare_demo_contracts()` (load_demo_contracts, before the reimbursement demo, so that the
family's statements are routed to their mutuelle): two mutuelles, a contract with Mutuelle des
Lilas for each person of the file as the insured person declared it, and for the older child a
second, overlapping contract with a student mutuelle, to show a conflict.

`build_demo_mutuelles()` (load_demo_mutuelles, after the reimbursement demo) takes the demo
file's mutuelle (Mutuelle des Lilas) and gives it:
- an API client with every scope, whose secret is rotated on each run (a secret is shown once:
  only its hash is stored, so a fresh one is the only one that can be printed);
- a webhook pointing at the mutuelle simulator `scripts/run.sh` starts beside the portal;
- both halves of the link for Camille and her youngest child (contracts CONFIRMED), so their
  statements are released to the feed: Camille's first one acknowledged by the mutuelle, her
  second one rejected, the child's pushed to the simulator by the workers;
- Dominique's contract left DECLARED (the insured person's half, awaiting the mutuelle), and a
  subscription the mutuelle made for Noé Bernard (SUBSCRIBED, awaiting his agreement).
The contracts and the acknowledgement are written directly with the models, as the mutuelle's
API calls would leave them. Development only. Running it again changes nothing but the client
secret. Needs load_demo_affiliation and load_demo_reimbursements first.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from affiliation.demo import INSURED_EMAIL, NEWCOMER_EMAIL
from affiliation.models import Beneficiary, InsuredPerson
from mutuelles.models import (
    Mutuelle,
    MutuelleClient,
    MutuelleContract,
    Transmission,
    WebhookEndpoint,
)
from mutuelles.scopes import SCOPES
from mutuelles.services.clients import create_client, rotate_client_secret, set_webhook
from mutuelles.services.release import release_transmissions

DEMO_AMC_NUMBER = "75000001"  # Mutuelle des Lilas
STUDENT_AMC_NUMBER = "75000002"
DEMO_MEMBER_NUMBER = "LIL-0042"
STUDENT_MEMBER_NUMBER = "ETU-7781"
DEMO_CLIENT_NAME = "Démo — logiciel de gestion"
DEFAULT_SIMULATOR_PORT = 8025
CAMILLE_REFERENCE = "LIL-CTR-0042"
CHILD_REFERENCE = "LIL-CTR-0043"
NEWCOMER_MEMBER_NUMBER = "LIL-0107"
NEWCOMER_REFERENCE = "LIL-CTR-0107"
REJECTION_CODE = "not_covered"
REJECTION_DETAIL = "Médicaments hors des garanties de la formule souscrite."


def simulator_webhook_url(port: int = DEFAULT_SIMULATOR_PORT) -> str:
    # The path the simulator announces (mutuelles/simulator.py); it accepts any path.
    return f"http://127.0.0.1:{port}/webhooks/statements"


@dataclass
class DemoMutuelles:
    mutuelle: Mutuelle
    client: MutuelleClient
    client_secret: str
    webhook: WebhookEndpoint
    released: int = 0
    statements: dict[str, int] = field(default_factory=dict)  # status → count, Camille's file
    awaiting_mutuelle: list[MutuelleContract] = field(default_factory=list)
    awaiting_person: list[MutuelleContract] = field(default_factory=list)


@transaction.atomic
def declare_demo_contracts(*, on: date) -> list[MutuelleContract]:
    """The demo family's contracts, as the insured person declared them (once: a second run
    finds them and changes nothing). Needs load_demo_affiliation first."""
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("Demo data is never created under production settings.")
    holder = InsuredPerson.objects.get(user__email=INSURED_EMAIL)
    existing = list(MutuelleContract.objects.for_holder(holder).order_by("pk"))
    if existing:
        return existing
    lilas, _ = Mutuelle.objects.get_or_create(
        amc_number=DEMO_AMC_NUMBER, defaults={"name": "Mutuelle des Lilas"}
    )
    students, _ = Mutuelle.objects.get_or_create(
        amc_number=STUDENT_AMC_NUMBER, defaults={"name": "Mutuelle étudiante de Paris"}
    )
    entries = list(Beneficiary.objects.on_file_of(holder))
    contracts = [
        MutuelleContract.objects.create(
            person=entry.person,
            mutuelle=lilas,
            member_number=DEMO_MEMBER_NUMBER,
            valid_from=date(2022, 1, 1),
        )
        for entry in entries
    ]
    children = sorted(
        (entry.person for entry in entries if entry.relationship == Beneficiary.Relationship.CHILD),
        key=lambda person: person.birth_date,
    )
    if children:  # the older child started studying in September: a conflict to resolve
        contracts.append(
            MutuelleContract.objects.create(
                person=children[0],
                mutuelle=students,
                member_number=STUDENT_MEMBER_NUMBER,
                valid_from=date(on.year, 9, 1) if on.month >= 9 else date(on.year - 1, 9, 1),
            )
        )
    return contracts


def _client_with_fresh_secret(mutuelle: Mutuelle) -> tuple[MutuelleClient, str]:
    client = MutuelleClient.objects.filter(mutuelle=mutuelle, name=DEMO_CLIENT_NAME).first()
    if client is None:
        return create_client(mutuelle, DEMO_CLIENT_NAME, tuple(SCOPES))
    return client, rotate_client_secret(client)


def _confirm(contract: MutuelleContract, reference: str, now) -> None:
    """The mutuelle's half of the link, as its subscription through the API leaves it."""
    if contract.status != MutuelleContract.Status.DECLARED:
        return
    contract.status = MutuelleContract.Status.CONFIRMED
    contract.mutuelle_reference = reference
    contract.subscribed_at = contract.confirmed_at = now
    contract.save(
        update_fields=[
            "status",
            "mutuelle_reference",
            "subscribed_at",
            "confirmed_at",
            "updated_at",
        ]
    )


def _answer_camille_s_statements(contract: MutuelleContract, now) -> None:
    """Her first statement acknowledged, her second rejected (once: final states stay)."""
    transmissions = list(
        Transmission.objects.filter(contract=contract, feed_position__isnull=False).order_by(
            "statement__care_date", "pk"
        )[:2]
    )
    answers = [
        {"status": Transmission.Status.ACKNOWLEDGED, "acknowledged_at": now},
        {
            "status": Transmission.Status.REJECTED,
            "rejected_at": now,
            "rejection_code": REJECTION_CODE,
            "rejection_detail": REJECTION_DETAIL,
        },
    ]
    for transmission, answer in zip(transmissions, answers, strict=False):
        Transmission.objects.filter(
            pk=transmission.pk,
            status__in=[Transmission.Status.PENDING, Transmission.Status.SENT],
        ).update(**answer)


def _newcomer_subscription(mutuelle: Mutuelle, now) -> MutuelleContract | None:
    """The mutuelle subscribed Noé Bernard (not yet linked to his account): his half is missing."""
    person = InsuredPerson.objects.filter(email=NEWCOMER_EMAIL).order_by("pk").first()
    if person is None:
        return None
    contract, _created = MutuelleContract.objects.get_or_create(
        person=person,
        mutuelle=mutuelle,
        mutuelle_reference=NEWCOMER_REFERENCE,
        defaults={
            "member_number": NEWCOMER_MEMBER_NUMBER,
            "valid_from": date(now.year, 1, 1),
            "status": MutuelleContract.Status.SUBSCRIBED,
            "subscribed_at": now,
        },
    )
    return contract


@transaction.atomic
def build_demo_mutuelles(*, simulator_port: int = DEFAULT_SIMULATOR_PORT, now=None):
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("Demo data is never created under production settings.")
    now = now or timezone.now()
    holder = InsuredPerson.objects.get(user__email=INSURED_EMAIL)
    mutuelle = Mutuelle.objects.get(amc_number=DEMO_AMC_NUMBER)
    client, secret = _client_with_fresh_secret(mutuelle)
    url = simulator_webhook_url(simulator_port)
    webhook = WebhookEndpoint.objects.filter(mutuelle=mutuelle).first()
    if webhook is None or webhook.url != url or not webhook.is_active:
        webhook, _secret = set_webhook(mutuelle, url)

    contracts = {
        contract.person_id: contract
        for contract in MutuelleContract.objects.filter(
            mutuelle=mutuelle, person__beneficiary_of__holder=holder
        ).order_by("pk")
    }
    entries = list(Beneficiary.objects.on_file_of(holder).select_related("person"))
    youngest = max(entries, key=lambda entry: entry.person.birth_date).person
    camille = contracts[holder.pk]
    _confirm(camille, CAMILLE_REFERENCE, now)
    if youngest.pk in contracts:
        _confirm(contracts[youngest.pk], CHILD_REFERENCE, now)
    released = release_transmissions(now=now)
    camille.refresh_from_db()
    _answer_camille_s_statements(camille, now)

    demo = DemoMutuelles(mutuelle, client, secret, webhook, released=released)
    for status in Transmission.objects.filter(
        mutuelle=mutuelle, statement__holder=holder
    ).values_list("status", flat=True):
        demo.statements[status] = demo.statements.get(status, 0) + 1
    demo.awaiting_mutuelle = list(
        MutuelleContract.objects.filter(
            mutuelle=mutuelle, status=MutuelleContract.Status.DECLARED
        ).select_related("person")
    )
    subscription = _newcomer_subscription(mutuelle, now)
    demo.awaiting_person = [subscription] if subscription else []
    return demo
