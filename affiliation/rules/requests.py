"""Affiliation requests (the online S1106): workflow, document checklist, processing estimate.

Pure functions: values in, values out; the caller passes the dates.

Reference: ameli.fr form S1106 "Demande d'ouverture des droits à l'assurance maladie" and its
notice (2025), which lists the supporting documents by situation; service-public.fr F34685
(protection universelle maladie: stable and regular residence, art. L160-1 and R111-3 CSS).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cpam_portal.public_holidays import add_working_days


class Status(StrEnum):
    DRAFT = "draft"  # being filled by the applicant: nothing sent yet
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    INFO_REQUESTED = "info_requested"
    COMPLETED = "completed"  # the applicant answered a request for information
    ACCEPTED = "accepted"
    REFUSED = "refused"


OPEN_STATUSES = frozenset(
    [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED, Status.COMPLETED]
)
# The applicant may change identity and documents only while the fund is not reading them.
APPLICANT_EDITABLE = frozenset([Status.DRAFT, Status.INFO_REQUESTED])


class Actor(StrEnum):
    APPLICANT = "applicant"
    STAFF = "staff"


# Who may move a request from one status to the next. Choices:
# - only the applicant sends (draft → submitted) and answers (info_requested → completed);
# - only staff take a request (submitted or completed → in_review), ask for information, decide;
# - a decision is taken on a request in review, so staff have read the latest documents;
# - staff may also refuse a request that waits for information, when the applicant never
#   answers (the reason says so); they cannot accept it without reading the answer;
# - accepted and refused are final: a refused applicant files a new request.
TRANSITIONS: dict[tuple[Status, Status], Actor] = {
    (Status.DRAFT, Status.SUBMITTED): Actor.APPLICANT,
    (Status.SUBMITTED, Status.IN_REVIEW): Actor.STAFF,
    (Status.IN_REVIEW, Status.INFO_REQUESTED): Actor.STAFF,
    (Status.INFO_REQUESTED, Status.COMPLETED): Actor.APPLICANT,
    (Status.COMPLETED, Status.IN_REVIEW): Actor.STAFF,
    (Status.IN_REVIEW, Status.ACCEPTED): Actor.STAFF,
    (Status.IN_REVIEW, Status.REFUSED): Actor.STAFF,
    (Status.INFO_REQUESTED, Status.REFUSED): Actor.STAFF,
}
# A message is part of these transitions: what to send, why it is refused.
MESSAGE_REQUIRED = frozenset([Status.INFO_REQUESTED, Status.REFUSED])


class TransitionError(StrEnum):
    NOT_ALLOWED = "not_allowed"  # no such step from this status
    WRONG_ACTOR = "wrong_actor"  # the step exists but belongs to the other party
    MESSAGE_REQUIRED = "message_required"


class TransitionRefused(ValueError):
    def __init__(self, reason: TransitionError):
        super().__init__(reason.value)
        self.reason = reason


def check_transition(current: Status, target: Status, actor: Actor, *, message: str = "") -> None:
    """Nothing if `actor` may move a request from `current` to `target`; TransitionRefused."""
    owner = TRANSITIONS.get((Status(current), Status(target)))
    if owner is None:
        raise TransitionRefused(TransitionError.NOT_ALLOWED)
    if owner != actor:
        raise TransitionRefused(TransitionError.WRONG_ACTOR)
    if target in MESSAGE_REQUIRED and not message.strip():
        raise TransitionRefused(TransitionError.MESSAGE_REQUIRED)


def allowed_targets(current: Status, actor: Actor) -> list[Status]:
    return [to for (frm, to), owner in TRANSITIONS.items() if frm == current and owner == actor]


# --- Situations and documents ------------------------------------------------------------------


class Situation(StrEnum):
    EMPLOYEE = "employee"
    STUDENT = "student"
    TALENT = "talent"  # passeport talent / chercheur (researcher hosted by a lab)
    UNEMPLOYED = "unemployed"
    DEPENDANT = "dependant"  # ayant droit majeur ou mineur d'un assuré
    RETIREE = "retiree"


class DocumentKind(StrEnum):
    IDENTITY = "identity"
    RESIDENCE_PERMIT = "residence_permit"
    BIRTH_CERTIFICATE = "birth_certificate"
    PROOF_OF_ADDRESS = "proof_of_address"
    BANK_DETAILS = "bank_details"
    ENROLMENT_CERTIFICATE = "enrolment_certificate"
    EMPLOYMENT_PROOF = "employment_proof"
    HOSTING_AGREEMENT = "hosting_agreement"
    UNEMPLOYMENT_PROOF = "unemployment_proof"
    PENSION_PROOF = "pension_proof"
    FAMILY_LINK = "family_link"
    OTHER = "other"


class Condition(StrEnum):
    """When a document is required only for some applicants."""

    BORN_ABROAD = "born_abroad"
    NEEDS_RESIDENCE_PERMIT = "needs_residence_permit"  # not an EU/EEA/Swiss national


@dataclass(frozen=True)
class ChecklistItem:
    kind: DocumentKind
    is_required: bool
    condition: Condition | None = None


# Every applicant (S1106 notice): an identity document (passport or national ID card), a proof of
# address of less than 3 months (residence in France is the ground of PUMa), and bank details
# (RIB) in the applicant's name so the fund can pay reimbursements.
# Born abroad: a full copy or extract with parentage of the birth certificate, needed to
# register the person in the national identification directory (SANDIA) and give a NIR.
# Nationals of a country outside the EU/EEA/Switzerland: the residence permit, since regular
# residence is a condition of affiliation (art. L160-1, R111-3 CSS).
COMMON = (
    ChecklistItem(DocumentKind.IDENTITY, True),
    ChecklistItem(DocumentKind.RESIDENCE_PERMIT, True, Condition.NEEDS_RESIDENCE_PERMIT),
    ChecklistItem(DocumentKind.BIRTH_CERTIFICATE, True, Condition.BORN_ABROAD),
    ChecklistItem(DocumentKind.PROOF_OF_ADDRESS, True),
)
BANK = ChecklistItem(DocumentKind.BANK_DETAILS, True)
OPTIONAL_OTHER = ChecklistItem(DocumentKind.OTHER, False)

# What proves the situation (S1106 notice, "pièces justificatives"): employees an employment
# contract or a recent payslip; students the enrolment certificate of the year; talent-passport
# holders and researchers the hosting agreement (convention d'accueil) or the talent-passport
# decision; jobseekers the France Travail certificate; retirees the pension decision;
# dependants (ayants droit) a proof of the family link with the insured person (livret de
# famille, marriage or PACS certificate). A dependant is reimbursed on the insured person's
# account, so their own bank details are optional.
SITUATION_ITEMS: dict[Situation, tuple[ChecklistItem, ...]] = {
    Situation.EMPLOYEE: (BANK, ChecklistItem(DocumentKind.EMPLOYMENT_PROOF, True)),
    Situation.STUDENT: (BANK, ChecklistItem(DocumentKind.ENROLMENT_CERTIFICATE, True)),
    Situation.TALENT: (
        BANK,
        ChecklistItem(DocumentKind.HOSTING_AGREEMENT, True),
        ChecklistItem(DocumentKind.EMPLOYMENT_PROOF, False),
    ),
    Situation.UNEMPLOYED: (BANK, ChecklistItem(DocumentKind.UNEMPLOYMENT_PROOF, True)),
    Situation.RETIREE: (BANK, ChecklistItem(DocumentKind.PENSION_PROOF, True)),
    Situation.DEPENDANT: (
        ChecklistItem(DocumentKind.FAMILY_LINK, True),
        ChecklistItem(DocumentKind.BANK_DETAILS, False),
    ),
}


def checklist(situation: Situation) -> tuple[ChecklistItem, ...]:
    """Every document of this situation, the conditional ones with their condition."""
    return (*COMMON, *SITUATION_ITEMS[Situation(situation)], OPTIONAL_OTHER)


def applicable_checklist(
    situation: Situation, *, is_born_abroad: bool, needs_residence_permit: bool
) -> tuple[ChecklistItem, ...]:
    """The checklist of one applicant: conditional items kept only when they apply."""
    applies = {
        Condition.BORN_ABROAD: is_born_abroad,
        Condition.NEEDS_RESIDENCE_PERMIT: needs_residence_permit,
    }
    return tuple(
        item for item in checklist(situation) if item.condition is None or applies[item.condition]
    )


def missing_documents(
    items: Iterable[ChecklistItem], provided: Iterable[str]
) -> list[DocumentKind]:
    """The required kinds of `items` with no document among `provided`, in checklist order."""
    have = set(provided)
    return [item.kind for item in items if item.is_required and item.kind not in have]


# --- Estimated decision date -------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLevel:
    """The fund's declared processing time, in working days, for requests sent from a date."""

    valid_from: date
    working_days: int


# A commitment this portal declares (it is not an official figure: ameli publishes no delay for
# the S1106). Counted in working days (Monday to Friday, French public holidays excluded) from
# the day the request is sent, or from the day the applicant answers a request for information:
# the file is complete only then. Dated, so that a change applies to requests sent after it.
# One national estimate: the national calendar, without Alsace-Moselle's or overseas days.
SERVICE_LEVELS = (ServiceLevel(valid_from=date(2026, 1, 1), working_days=15),)


def service_level_on(levels: Iterable[ServiceLevel], on: date) -> ServiceLevel:
    """The level in force on `on`: the latest one that started on or before it (else the first)."""
    ordered = sorted(levels, key=lambda level: level.valid_from)
    current = ordered[0]
    for level in ordered:
        if level.valid_from <= on:
            current = level
    return current


def estimated_decision_on(
    complete_on: date, levels: Iterable[ServiceLevel] = SERVICE_LEVELS
) -> date:
    """When a decision is expected for a request complete on `complete_on`."""
    return add_working_days(complete_on, service_level_on(levels, complete_on).working_days)


# --- Temporary number (NIA) order ----------------------------------------------------------------


class NoFreeOrder(ValueError):
    """All 999 order numbers of a NIA prefix are taken."""


def smallest_free_order(used: Iterable[int]) -> int:
    """The smallest order number from 1 to 999 not in `used`."""
    taken = set(used)
    for order in range(1, 1000):
        if order not in taken:
            return order
    raise NoFreeOrder
