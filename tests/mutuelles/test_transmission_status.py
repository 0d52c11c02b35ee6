"""What the insured person reads of a statement's transmission: the pure status function.

Objects are built in memory (never saved): the function reads no database.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from mutuelles.models import Mutuelle, MutuelleContract, Transmission, WebhookEndpoint
from mutuelles.services.transmission_status import (
    REJECTION_REASONS,
    Kind,
    transmission_status,
)

CARE_DATE = datetime.date(2025, 3, 4)
WARNING_LEVELS = ("warning", "error")  # a status the person must act on or know about
RELEASED = datetime.datetime(2025, 3, 20, 10, tzinfo=datetime.UTC)
SENT = datetime.datetime(2025, 3, 20, 10, 5, tzinfo=datetime.UTC)
ACKNOWLEDGED = datetime.datetime(2025, 3, 21, 8, tzinfo=datetime.UTC)
CONTRACTS = reverse("mutuelles:contracts")


@pytest.fixture(autouse=True)
def in_french():
    with translation.override("fr"):
        yield


def mutuelle(name="Harmonie Santé", *, webhook=False):
    value = Mutuelle(name=name, amc_number="775659923")
    if webhook:
        value.webhook = WebhookEndpoint(url="https://mutuelle.example/webhook", secret="whsec_x")
    return value


def contract(of=None, *, status=MutuelleContract.Status.CONFIRMED, **fields):
    values = {"valid_from": datetime.date(2025, 1, 1), "valid_until": None}
    values.update(fields)
    return MutuelleContract(mutuelle=of or mutuelle(), status=status, **values)


def transmission(status=Transmission.Status.PENDING, *, of=None, webhook=False, **fields):
    insurer = of.mutuelle if of else mutuelle(webhook=webhook)
    return Transmission(mutuelle=insurer, contract=of or contract(insurer), status=status, **fields)


def text(status) -> str:
    return " ".join(status.messages)


def test_acknowledged_says_when_it_was_sent_and_received():
    status = transmission_status(
        CARE_DATE,
        transmission("acknowledged", sent_at=SENT, acknowledged_at=ACKNOWLEDGED),
        [],
    )
    assert (status.kind, status.level, status.level in WARNING_LEVELS) == (
        Kind.ACKNOWLEDGED,
        "success",
        False,
    )
    assert status.messages == [
        "Transmis à Harmonie Santé le 20/03/2025.",
        "Reçu par Harmonie Santé le 21/03/2025.",
    ]


def test_a_feed_only_mutuelle_received_it_when_it_was_released():
    acknowledged = transmission("acknowledged", released_at=RELEASED, acknowledged_at=ACKNOWLEDGED)
    assert transmission_status(CARE_DATE, acknowledged, []).messages[0] == (
        "Transmis à Harmonie Santé le 20/03/2025."
    )
    released = transmission(released_at=RELEASED, feed_position=1)
    status = transmission_status(CARE_DATE, released, [])
    assert (status.kind, status.messages) == (
        Kind.SENT,
        ["Transmis à Harmonie Santé le 20/03/2025."],
    )


def test_pushed_says_sent_on_the_delivery_day_and_released_only_is_on_its_way():
    sent = transmission("sent", webhook=True, released_at=RELEASED, sent_at=SENT)
    assert transmission_status(CARE_DATE, sent, []).kind == Kind.SENT
    on_its_way = transmission(webhook=True, released_at=RELEASED)
    status = transmission_status(CARE_DATE, on_its_way, [])
    assert (status.kind, status.level) == (Kind.SENDING, "info")
    assert text(status) == "En cours d'envoi à Harmonie Santé."


def test_confirmed_but_not_yet_released_is_on_its_way():
    status = transmission_status(CARE_DATE, transmission(), [])
    assert status.kind == Kind.SENDING


def test_a_contract_the_mutuelle_has_not_confirmed_waits_for_it():
    insurer = mutuelle()
    declared = contract(insurer, status=MutuelleContract.Status.DECLARED)
    status = transmission_status(CARE_DATE, transmission(of=declared), [declared])
    assert (status.kind, status.level) == (Kind.AWAITING_MUTUELLE, "info")
    assert "ne l'a pas encore confirmé" in text(status)
    assert status.action_url == CONTRACTS


def test_a_contract_the_mutuelle_declared_waits_for_the_person():
    insurer = mutuelle()
    subscribed = contract(insurer, status=MutuelleContract.Status.SUBSCRIBED)
    status = transmission_status(CARE_DATE, transmission(of=subscribed), [subscribed])
    assert (status.kind, status.level in WARNING_LEVELS) == (Kind.AWAITING_PERSON, True)
    assert text(status).startswith("Harmonie Santé a déclaré votre contrat ; confirmez-le")
    assert (status.action_url, status.action_label) == (CONTRACTS, "Confirmer mon contrat")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": MutuelleContract.Status.WITHDRAWN},
        {"valid_until": CARE_DATE},  # ended since: the care is after its last day
    ],
)
def test_a_contract_withdrawn_or_ended_since_no_longer_covers_it(fields):
    ended = contract(mutuelle(), **fields)
    status = transmission_status(CARE_DATE, transmission(of=ended), [ended])
    assert (status.kind, status.level in WARNING_LEVELS) == (Kind.NO_CONTRACT, True)


@pytest.mark.parametrize(("code", "reason"), list(REJECTION_REASONS.items()))
def test_a_rejection_reads_in_plain_words(code, reason):
    rejected = transmission(
        "rejected",
        released_at=RELEASED,
        rejected_at=ACKNOWLEDGED,
        rejection_code=code,
        rejection_detail="Adhérent radié au 28/02",
    )
    status = transmission_status(CARE_DATE, rejected, [])
    assert (status.kind, status.level) == (Kind.REJECTED, "error")
    assert status.messages[0] == f"Refusé par Harmonie Santé le 21/03/2025 : {reason}."
    assert status.messages[1] == "Précision de la mutuelle : « Adhérent radié au 28/02 »."
    assert code not in text(status)


def test_an_unknown_rejection_code_still_reads():
    rejected = transmission("rejected", rejected_at=ACKNOWLEDGED, rejection_code="X99")
    status = transmission_status(CARE_DATE, rejected, [])
    assert "n'a pas précisé de motif connu" in status.messages[0]
    assert len(status.messages) == 2  # no detail given: the reason and what to do


def test_a_dead_delivery_is_the_fund_s_business():
    status = transmission_status(CARE_DATE, transmission("dead", released_at=RELEASED), [])
    assert (status.kind, status.level in WARNING_LEVELS) == (Kind.DEAD, True)
    assert "La caisse s'en occupe" in text(status)


def test_without_any_contract_a_warning_to_declare_one():
    status = transmission_status(CARE_DATE, None, [])
    assert (status.kind, status.level) == (Kind.NO_CONTRACT, "warning")
    assert (status.action_url, status.action_label) == (
        CONTRACTS,
        "Déclarer ma complémentaire santé",
    )


def test_contracts_that_do_not_cover_the_date_are_no_contract():
    contracts = [
        contract(valid_from=CARE_DATE + datetime.timedelta(days=1)),
        contract(valid_from=datetime.date(2024, 1, 1), valid_until=CARE_DATE),
        contract(status=MutuelleContract.Status.WITHDRAWN),
    ]
    assert transmission_status(CARE_DATE, None, contracts).kind == Kind.NO_CONTRACT


@pytest.mark.parametrize(
    "second",
    [
        MutuelleContract.Status.DECLARED,
        MutuelleContract.Status.SUBSCRIBED,
        MutuelleContract.Status.CONFIRMED,
    ],
)
def test_two_mutuelles_covering_the_date_are_a_conflict_to_resolve(second):
    contracts = [
        contract(mutuelle("Harmonie Santé")),
        contract(mutuelle("MGEN"), status=second, valid_from=CARE_DATE),
    ]
    status = transmission_status(CARE_DATE, None, contracts)
    assert (status.kind, status.level in WARNING_LEVELS) == (Kind.CONFLICT, True)
    assert "(Harmonie Santé, MGEN)" in text(status)
    assert (status.action_url, status.action_label) == (CONTRACTS, "Résoudre le conflit")


def test_a_contract_recorded_after_the_statement_says_it_was_not_sent():
    status = transmission_status(CARE_DATE, None, [contract()])
    assert (status.kind, status.level) == (Kind.NOT_SENT, "info")
    assert "Les prochains le seront" in text(status)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (MutuelleContract.Status.CONFIRMED, Kind.SENDING),
        (MutuelleContract.Status.DECLARED, Kind.AWAITING_MUTUELLE),
        (MutuelleContract.Status.SUBSCRIBED, Kind.AWAITING_PERSON),
    ],
)
def test_a_statement_not_yet_routed_reads_as_its_contract_will_have_it(status, kind):
    """Between the pipeline's commit and the routing step (seconds), no transmission exists."""
    waiting = transmission_status(CARE_DATE, None, [contract(status=status)], is_routed=False)
    assert waiting.kind == kind


def test_every_rejection_code_the_api_accepts_reads_in_plain_words():
    from mutuelles.services.acknowledgements import REJECTION_REASONS as API_CODES
    from mutuelles.services.transmission_status import REJECTION_REASONS

    assert set(REJECTION_REASONS) == set(API_CODES)
