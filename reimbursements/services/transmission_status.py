"""What the insured person sees of a statement's transmission to their complementary insurer.

The pipeline writes a transmission when exactly one mutuelle's contract covers the date of care
(two mutuelles are a conflict and block the flow, RULES.md §7.2); the transmission is released
to the mutuelle's feed once both halves of the link agree (contract CONFIRMED), then pushed to
its webhook (SENT) if it has one, and the mutuelle acknowledges or rejects it. A delivery that
exhausted its attempts is DEAD and handled by staff.

`transmission_status()` turns that into one short status and a sentence or two for the person,
with a warning when nothing could be sent and what to do about it. It reads no database: the
caller passes the statement's transmission (with its mutuelle, the mutuelle's webhook and the
contract joined) and the beneficiary's contracts (with their mutuelle), fetched once per page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from affiliation.models import MutuelleContract
from reimbursements.models import Transmission

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

    @property
    def is_warning(self) -> bool:
        return self.level in ("warning", "error")


def day(moment: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y") if moment else ""


def covering(contracts: Iterable[MutuelleContract], care_date: datetime.date):
    """The in-force contracts covering `care_date` (the rule the pipeline applies)."""
    return [
        contract
        for contract in contracts
        if contract.status in IN_FORCE
        and contract.valid_from <= care_date
        and (contract.valid_until is None or care_date < contract.valid_until)
    ]


def has_active_webhook(mutuelle) -> bool:
    try:
        return mutuelle.webhook.is_active
    except ObjectDoesNotExist:
        return False


def transmission_status(
    care_date: datetime.date,
    transmission: Transmission | None,
    contracts: Iterable[MutuelleContract],
) -> TransmissionStatus:
    """The status of one statement for its beneficiary: `transmission` is the statement's
    transmission or None, `contracts` all the beneficiary's contracts (any status)."""
    if transmission is None:
        return _without_transmission(care_date, list(contracts))
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


def _sent(name: str, moment) -> TransmissionStatus:
    return TransmissionStatus(
        Kind.SENT,
        _("Transmis à la mutuelle"),
        [_("Transmis à %(name)s le %(date)s.") % {"name": name, "date": day(moment)}],
    )


def _pending(care_date, transmission: Transmission, name: str) -> TransmissionStatus:
    if transmission.released_at:
        if has_active_webhook(transmission.mutuelle):
            return TransmissionStatus(
                Kind.SENDING,
                _("Envoi en cours"),
                [_("En cours d'envoi à %(name)s.") % {"name": name}],
            )
        # A mutuelle reading the feed gets the statement as soon as it is released.
        return _sent(name, transmission.released_at)
    contract = transmission.contract
    contracts_url = reverse("affiliation:contracts")
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
        return TransmissionStatus(
            Kind.SENDING,
            _("Envoi en cours"),
            [_("En cours d'envoi à %(name)s.") % {"name": name}],
        )
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


def _without_transmission(care_date, contracts: list[MutuelleContract]) -> TransmissionStatus:
    contracts_url = reverse("affiliation:contracts")
    in_force = covering(contracts, care_date)
    names = sorted({contract.mutuelle.name for contract in in_force})
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


def transmissions_prefetch() -> Prefetch:
    """`prefetch_related()` argument: each statement's transmissions, the newest first, with
    what `transmission_status` reads joined (one query per page)."""
    return Prefetch(
        "transmissions",
        queryset=Transmission.objects.select_related(
            "mutuelle", "mutuelle__webhook", "contract"
        ).order_by("-created_at", "-pk"),
    )


def statuses_for(statements) -> dict[int, TransmissionStatus]:
    """{statement pk: status} for statements fetched with `transmissions_prefetch()`: one more
    query for the contracts of all their beneficiaries."""
    statements = list(statements)
    contracts: dict[int, list[MutuelleContract]] = {}
    for contract in MutuelleContract.objects.filter(
        person_id__in={statement.beneficiary_id for statement in statements}
    ).select_related("mutuelle"):
        contracts.setdefault(contract.person_id, []).append(contract)
    result = {}
    for statement in statements:
        transmissions = statement.transmissions.all()
        result[statement.pk] = transmission_status(
            statement.care_date,
            transmissions[0] if transmissions else None,
            contracts.get(statement.beneficiary_id, []),
        )
    return result
