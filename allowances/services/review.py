"""Staff decisions on stoppages, extensions and salary attestations (one transaction each).

Accepting a stoppage runs the engine and keeps its result in the same transaction: if the
engine refuses (salaries missing, rules not held…) nothing changes and the agent reads why.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from allowances.models import SalaryAttestation, StoppageNotice, WorkStoppage
from allowances.services import computation
from allowances.services.common import AllowanceError
from allowances.services.notify import notify_person

Status = WorkStoppage.Status
OPEN_FOR_DECISION = (Status.RECEIVED, Status.IN_REVIEW)


def _locked(stoppage_id: int) -> WorkStoppage:
    return (
        WorkStoppage.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .get(pk=stoppage_id)
    )


def take_in_review(stoppage_id: int, staff: User, *, now: datetime) -> WorkStoppage:
    with transaction.atomic():
        stoppage = _locked(stoppage_id)
        if stoppage.status != Status.RECEIVED:
            raise AllowanceError(_("Cet arrêt n'est plus en attente de prise en charge."))
        stoppage.status = Status.IN_REVIEW
        stoppage.reviewer = staff
        stoppage.save(update_fields=["status", "reviewer", "updated_at"])
        return stoppage


def request_information(
    stoppage_id: int, staff: User, *, message: str, now: datetime
) -> WorkStoppage:
    with transaction.atomic():
        stoppage = _locked(stoppage_id)
        if stoppage.status not in OPEN_FOR_DECISION:
            raise AllowanceError(_("Cet arrêt est déjà décidé."))
        stoppage.status = Status.IN_REVIEW
        stoppage.reviewer = stoppage.reviewer or staff
        stoppage.info_request_message = message
        stoppage.info_requested_at = now
        stoppage.save(
            update_fields=[
                "status",
                "reviewer",
                "info_request_message",
                "info_requested_at",
                "updated_at",
            ]
        )
        notify_person(stoppage, "information_requested")
        return stoppage


def _pending_notices(stoppage: WorkStoppage) -> QuerySet[StoppageNotice]:
    return stoppage.notices.select_for_update().filter(status=StoppageNotice.Status.PENDING)


def accept_stoppage(stoppage_id: int, staff: User, *, now: datetime) -> WorkStoppage:
    """Accept the stoppage (or its pending extensions) and compute it. Raises AllowanceError."""
    with transaction.atomic():
        stoppage = _locked(stoppage_id)
        pending = list(_pending_notices(stoppage))
        if stoppage.status not in OPEN_FOR_DECISION and not pending:
            raise AllowanceError(_("Rien à accepter : aucun avis n'attend de décision."))
        if stoppage.status == Status.REFUSED:
            raise AllowanceError(_("Cet arrêt a été refusé."))
        StoppageNotice.objects.filter(pk__in=[n.pk for n in pending]).update(
            status=StoppageNotice.Status.ACCEPTED
        )
        stoppage.status = Status.ACCEPTED
        stoppage.accepted_end_date = stoppage.end_date
        stoppage.decided_by = staff
        stoppage.decided_at = now
        stoppage.reviewer = stoppage.reviewer or staff
        stoppage.closed_at = None
        stoppage.save(
            update_fields=[
                "status",
                "accepted_end_date",
                "decided_by",
                "decided_at",
                "reviewer",
                "closed_at",
                "updated_at",
            ]
        )
        computation.compute(stoppage, now=now)
        notify_person(stoppage, "decision")
        return stoppage


def refuse_stoppage(stoppage_id: int, staff: User, *, reason: str, now: datetime) -> WorkStoppage:
    with transaction.atomic():
        stoppage = _locked(stoppage_id)
        if stoppage.status not in OPEN_FOR_DECISION:
            raise AllowanceError(_("Seul un arrêt reçu ou en cours d'examen peut être refusé."))
        stoppage.notices.update(status=StoppageNotice.Status.REFUSED, refusal_reason=reason)
        stoppage.status = Status.REFUSED
        stoppage.refusal_reason = reason
        stoppage.decided_by = staff
        stoppage.decided_at = now
        stoppage.save(
            update_fields=["status", "refusal_reason", "decided_by", "decided_at", "updated_at"]
        )
        notify_person(stoppage, "decision")
        return stoppage


def refuse_extension(notice_id: int, staff: User, *, reason: str, now: datetime) -> StoppageNotice:
    """Refuse a pending extension: the stoppage ends again where its previous notice ended."""
    with transaction.atomic():
        notice = StoppageNotice.objects.select_for_update().get(pk=notice_id)
        stoppage = _locked(notice.stoppage_id)
        if notice.sequence == 0 or notice.status != StoppageNotice.Status.PENDING:
            raise AllowanceError(_("Seule une prolongation en attente peut être refusée ici."))
        later = stoppage.notices.filter(sequence__gt=notice.sequence).exclude(
            status=StoppageNotice.Status.REFUSED
        )
        if later.exists():
            raise AllowanceError(_("Refusez d'abord la prolongation qui suit celle-ci."))
        notice.status = StoppageNotice.Status.REFUSED
        notice.refusal_reason = reason
        notice.save(update_fields=["status", "refusal_reason"])
        stoppage.end_date = stoppage.notices.exclude(
            status=StoppageNotice.Status.REFUSED
        ).aggregate(end=Max("end_date"))["end"]
        stoppage.save(update_fields=["end_date", "updated_at"])
        notify_person(stoppage, "decision")
        return notice


def recompute(stoppage_id: int, staff: User, *, now: datetime) -> WorkStoppage:
    """Run the engine again after a correction: unpaid periods follow the new result, paid ones
    get a regularisation line."""
    with transaction.atomic():
        stoppage = _locked(stoppage_id)
        if stoppage.status not in (Status.ACCEPTED, Status.CLOSED):
            raise AllowanceError(_("Seul un arrêt accepté est calculé."))
        computation.compute(stoppage, now=now)
        return stoppage


def accept_salary_attestation(
    attestation_id: int, staff: User, *, now: datetime
) -> SalaryAttestation:
    with transaction.atomic():
        attestation = SalaryAttestation.objects.select_for_update().get(pk=attestation_id)
        if attestation.status == SalaryAttestation.Status.ACCEPTED:
            return attestation
        if not attestation.months.exists():
            raise AllowanceError(_("Cette attestation n'indique aucun mois de salaire."))
        attestation.status = SalaryAttestation.Status.ACCEPTED
        attestation.reviewed_by = staff
        attestation.reviewed_at = now
        attestation.refusal_reason = ""
        attestation.save(update_fields=["status", "reviewed_by", "reviewed_at", "refusal_reason"])
        return attestation


def refuse_salary_attestation(
    attestation_id: int, staff: User, *, reason: str, now: datetime
) -> SalaryAttestation:
    with transaction.atomic():
        attestation = (
            SalaryAttestation.objects.select_for_update(of=("self",))
            .select_related("stoppage__person__user")
            .get(pk=attestation_id)
        )
        if attestation.status != SalaryAttestation.Status.RECEIVED:
            raise AllowanceError(_("Seule une attestation reçue peut être refusée."))
        attestation.status = SalaryAttestation.Status.REFUSED
        attestation.refusal_reason = reason
        attestation.reviewed_by = staff
        attestation.reviewed_at = now
        attestation.save(update_fields=["status", "refusal_reason", "reviewed_by", "reviewed_at"])
        notify_person(attestation.stoppage, "information_requested")
        return attestation
