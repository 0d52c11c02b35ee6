"""What the insured person sees of a statement's transmission to their complementary insurer.

The routing step (`mutuelles.services.release`) writes a transmission when exactly one
mutuelle's contract covers the date of care (two mutuelles are a conflict and block the flow:
`mutuelles.rules.contracts`); the transmission is released to the mutuelle's feed once both
halves of the link agree (contract CONFIRMED), then pushed to its webhook (SENT) if it has one,
and the mutuelle acknowledges or rejects it. A delivery that exhausted its attempts is DEAD and
handled by staff.

`transmission_status()` turns that into one short status and a sentence or two for the person,
with a warning when nothing could be sent and what to do about it. It reads no database: the
caller passes the statement's transmission (with its mutuelle, the mutuelle's webhook and the
contract joined) and the beneficiary's contracts (with their mutuelle), fetched once per page
by `statuses_for()`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpam_portal.periods import Period
from mutuelles.models import Mutuelle, MutuelleContract, Transmission
from mutuelles.rules.contracts import ContractTerms
from mutuelles.rules.contracts import covering as covering_terms
from reimbursements.models import Statement
from reimbursements.services.outbox import awaiting_readers

# Why a mutuelle may refuse a statement, in plain words for the insured person. The codes are
# those the statement feed accepts on `POST /api/v1/mutuelle/statements/{id}/reject/`
# (mutuelles.services.acknowledgements.REJECTION_REASONS); an unknown code still reads.
REJECTION_REASONS = {
    "unknown_member": gettext_lazy("la mutuelle ne vous retrouve pas parmi ses adhérents"),
    "not_covered": gettext_lazy("selon la mutuelle, votre contrat ne couvrait pas ces soins"),
    "contract_ended": gettext_lazy("selon la mutuelle, votre contrat avait pris fin"),
    "duplicate": gettext_lazy("la mutuelle avait déjà reçu ces soins"),
    "invalid_amounts": gettext_lazy(
        "selon la mutuelle, les montants de ce décompte sont incohérents"
    ),
    "other": gettext_lazy("la mutuelle a donné un autre motif"),
}
UNKNOWN_REASON = gettext_lazy("la mutuelle n'a pas précisé de motif connu")

IN_FORCE = (
    MutuelleContract.Status.DECLARED,
    MutuelleContract.Status.SUBSCRIBED,
    MutuelleContract.Status.CONFIRMED,
)


class Kind(StrEnum):
    ACKNOWLEDGED = "acknowledged"  # received by the mutuelle
    SENT = "sent"  # pushed to its webhook, or put in the feed of a feed-only mutuelle
    SENDING = "sending"  # released, the push is under way
    AWAITING_MUTUELLE = "awaiting_mutuelle"  # declared by the person, not yet by the mutuelle
    AWAITING_PERSON = "awaiting_person"  # subscribed by the mutuelle, not yet by the person
    REJECTED = "rejected"
    DEAD = "dead"  # delivery failed, staff are on it
    CONFLICT = "conflict"  # two mutuelles cover the date of care
    NO_CONTRACT = "no_contract"
    NOT_SENT = "not_sent"  # a contract exists now but did not cover it when it was processed


# DSFR alert/badge types (fr-alert--<level>, fr-badge--<level>).
LEVELS = {
    Kind.ACKNOWLEDGED: "success",
    Kind.SENT: "success",
    Kind.SENDING: "info",
    Kind.AWAITING_MUTUELLE: "info",
    Kind.AWAITING_PERSON: "warning",
    Kind.REJECTED: "error",
    Kind.DEAD: "warning",
    Kind.CONFLICT: "warning",
    Kind.NO_CONTRACT: "warning",
    Kind.NOT_SENT: "info",
}


@dataclass(frozen=True)
class TransmissionStatus:
    kind: Kind
    label: str  # a few words, for the badge in the list
    messages: list[str] = field(default_factory=list)  # the sentences of the detail page
    action_url: str = ""
    action_label: str = ""

    @property
    def level(self) -> str:
        return LEVELS[self.kind]


def day(moment: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y") if moment else ""


def terms_of(contract: MutuelleContract, index: int) -> ContractTerms:
    # `index` stands for the id where the rule wants one: the contracts a page shows are only
    # told apart by the rule's ordering, and may be unsaved in tests.
    return ContractTerms(
        index,
        contract.mutuelle_id,
        contract.status,
        Period(contract.valid_from, contract.valid_until),
    )


def covering(
    contracts: Iterable[MutuelleContract], care_date: datetime.date
) -> list[MutuelleContract]:
    """The in-force contracts covering `care_date`, the preferred first (the rule routing
    applies)."""
    in_force = [c for c in contracts if c.status in IN_FORCE]
    terms = [terms_of(contract, index) for index, contract in enumerate(in_force)]
    return [in_force[t.contract_id] for t in covering_terms(terms, care_date)]


def has_active_webhook(mutuelle: Mutuelle) -> bool:
    try:
        return mutuelle.webhook.is_active
    except ObjectDoesNotExist:
        return False


def transmission_status(
    care_date: datetime.date,
    transmission: Transmission | None,
    contracts: Iterable[MutuelleContract],
    *,
    is_routed: bool = True,
) -> TransmissionStatus:
    """The status of one statement for its beneficiary: `transmission` is the statement's
    transmission or None, `contracts` all the beneficiary's contracts (any status);
    `is_routed` is False while the statement waits for the routing step (a few seconds)."""
    if transmission is None:
        return _without_transmission(care_date, list(contracts), is_routed=is_routed)
    name = transmission.mutuelle.name
    status = transmission.status
    if status == Transmission.Status.ACKNOWLEDGED:
        sent = transmission.sent_at or transmission.released_at
        messages = [_("Transmis à %(name)s le %(date)s.") % {"name": name, "date": day(sent)}]
        messages.append(
            _("Reçu par %(name)s le %(date)s.")
            % {"name": name, "date": day(transmission.acknowledged_at)}
        )
        return TransmissionStatus(Kind.ACKNOWLEDGED, _("Reçu par la mutuelle"), messages)
    if status == Transmission.Status.SENT:
        return _sent(name, transmission.sent_at or transmission.released_at)
    if status == Transmission.Status.REJECTED:
        reason = REJECTION_REASONS.get(transmission.rejection_code, UNKNOWN_REASON)
        messages = [
            _("Refusé par %(name)s le %(date)s : %(reason)s.")
            % {"name": name, "date": day(transmission.rejected_at), "reason": reason}
        ]
        if transmission.rejection_detail:
            messages.append(
                _("Précision de la mutuelle : « %(detail)s ».")
                % {"detail": transmission.rejection_detail}
            )
        messages.append(
            _("Contactez %(name)s pour qu'elle prenne en charge sa part de ces soins.")
            % {"name": name}
        )
        return TransmissionStatus(Kind.REJECTED, _("Refusé par la mutuelle"), messages)
    if status == Transmission.Status.DEAD:
        return TransmissionStatus(
            Kind.DEAD,
            _("Envoi en échec"),
            [
                _("L'envoi à %(name)s a échoué. La caisse s'en occupe : vous n'avez rien à faire.")
                % {"name": name}
            ],
        )
    return _pending(care_date, transmission, name)


def _sent(name: str, moment: datetime.datetime | None) -> TransmissionStatus:
    return TransmissionStatus(
        Kind.SENT,
        _("Transmis à la mutuelle"),
        [_("Transmis à %(name)s le %(date)s.") % {"name": name, "date": day(moment)}],
    )


def _sending(name: str) -> TransmissionStatus:
    return TransmissionStatus(
        Kind.SENDING,
        _("Envoi en cours"),
        [_("En cours d'envoi à %(name)s.") % {"name": name}],
    )


def _pending(care_date: datetime.date, transmission: Transmission, name: str) -> TransmissionStatus:
    if transmission.released_at:
        if has_active_webhook(transmission.mutuelle):
            return _sending(name)
        # A mutuelle reading the feed gets the statement as soon as it is released.
        return _sent(name, transmission.released_at)
    return _held(care_date, transmission.contract, name)


def _held(care_date: datetime.date, contract: MutuelleContract, name: str) -> TransmissionStatus:
    """A statement for `contract` that is not yet in its mutuelle's feed."""
    contracts_url = reverse("mutuelles:contracts")
    if contract.status == MutuelleContract.Status.DECLARED:
        return TransmissionStatus(
            Kind.AWAITING_MUTUELLE,
            _("En attente de la mutuelle"),
            [
                _(
                    "Vous avez déclaré votre contrat avec %(name)s ; la mutuelle ne l'a pas "
                    "encore confirmé. Ce décompte lui sera transmis dès qu'elle l'aura fait."
                )
                % {"name": name}
            ],
            contracts_url,
            _("Voir mes contrats de complémentaire santé"),
        )
    if contract.status == MutuelleContract.Status.SUBSCRIBED:
        return TransmissionStatus(
            Kind.AWAITING_PERSON,
            _("À confirmer par vous"),
            [
                _(
                    "%(name)s a déclaré votre contrat ; confirmez-le dans votre espace pour "
                    "que ce décompte lui soit transmis."
                )
                % {"name": name}
            ],
            contracts_url,
            _("Confirmer mon contrat"),
        )
    if contract.status == MutuelleContract.Status.CONFIRMED and (
        contract.valid_until is None or care_date < contract.valid_until
    ):
        return _sending(name)
    # Withdrawn, or ended before the date of care since the statement was written.
    return TransmissionStatus(
        Kind.NO_CONTRACT,
        _("Non transmis"),
        [
            _(
                "Votre contrat avec %(name)s ne couvre plus la date de ces soins : "
                "ce décompte ne lui a pas été transmis."
            )
            % {"name": name}
        ],
        contracts_url,
        _("Voir mes contrats de complémentaire santé"),
    )


def _without_transmission(
    care_date: datetime.date, contracts: list[MutuelleContract], *, is_routed: bool
) -> TransmissionStatus:
    contracts_url = reverse("mutuelles:contracts")
    in_force = covering(contracts, care_date)
    names = sorted({contract.mutuelle.name for contract in in_force})
    if len(names) == 1 and not is_routed:  # the routing step will write it in a moment
        return _held(care_date, in_force[0], names[0])
    if len(names) > 1:
        return TransmissionStatus(
            Kind.CONFLICT,
            _("Conflit entre deux contrats"),
            [
                _(
                    "Plusieurs complémentaires santé couvrent la date de ces soins (%(names)s) : "
                    "ce décompte n'a été transmis à aucune. Indiquez le contrat à garder."
                )
                % {"names": ", ".join(names)}
            ],
            contracts_url,
            _("Résoudre le conflit"),
        )
    if names:
        return TransmissionStatus(
            Kind.NOT_SENT,
            _("Non transmis"),
            [
                _(
                    "Votre contrat avec %(name)s n'était pas enregistré, ou était en conflit "
                    "avec un autre, quand ce décompte a été établi : il ne lui a pas été "
                    "transmis. Les prochains le seront."
                )
                % {"name": names[0]}
            ],
        )
    return TransmissionStatus(
        Kind.NO_CONTRACT,
        _("Aucune complémentaire"),
        [
            _(
                "Aucun contrat de complémentaire santé enregistré ne couvre la date de ces "
                "soins : ce décompte n'a été transmis à aucune mutuelle."
            )
        ],
        contracts_url,
        _("Déclarer ma complémentaire santé"),
    )


# --- Fetching for a page of statements (constant number of queries) ------------------------------


def statuses_for(statements: Iterable[Statement]) -> dict[int, TransmissionStatus]:
    """{statement pk: status}: one query for the statements' transmissions (the newest first,
    with what `transmission_status` reads joined), one for the contracts of all their
    beneficiaries, and one more only when a statement may still be waiting for its routing."""
    statements = list(statements)
    if not statements:
        return {}
    latest: dict[int, Transmission] = {}
    for transmission in (
        Transmission.objects.filter(statement_id__in=[statement.pk for statement in statements])
        .select_related("mutuelle", "mutuelle__webhook", "contract")
        .order_by("-created_at", "-pk")
    ):
        latest.setdefault(transmission.statement_id, transmission)
    contracts: dict[int, list[MutuelleContract]] = {}
    for contract in MutuelleContract.objects.filter(
        person_id__in={statement.beneficiary_id for statement in statements}
    ).select_related("mutuelle"):
        contracts.setdefault(contract.person_id, []).append(contract)
    # A statement without transmission whose beneficiary has a contract may simply not have
    # been routed yet: only then is the outbox asked.
    unsure = [
        statement.pk
        for statement in statements
        if statement.pk not in latest and contracts.get(statement.beneficiary_id)
    ]
    waiting = awaiting_readers(unsure) if unsure else set()
    return {
        statement.pk: transmission_status(
            statement.care_date,
            latest.get(statement.pk),
            contracts.get(statement.beneficiary_id, []),
            is_routed=statement.pk not in waiting,
        )
        for statement in statements
    }
