"""Running the engine on a stoppage and keeping its result, and the regularisation of paid periods.

The stoppage keeps the result it was paid with: figures, the paid segments (days of equal daily
amount) and the explanation, as JSON. Payments are slices of those segments, so a later change of
parameters never changes a stoppage until staff run the engine again. When they do, unpaid
periods simply follow the new result; a period already paid gets a regularisation line (the
difference, positive or negative), never an edit of the payment.
"""

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Min, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from affiliation.models import CoveragePeriod
from allowances.explanations import problem_text
from allowances.models import AllowancePayment, SalaryAttestation, WorkStoppage
from allowances.rules.engine import compute_allowance
from allowances.rules.types import (
    AllowanceClaim,
    AllowanceKind,
    AllowanceResult,
    ClaimProblem,
    ExplanationStep,
    InvalidClaim,
    MonthlySalary,
    PaidSegment,
    RulesNotHeld,
)
from allowances.services.common import AllowanceError
from cpam_portal.models import RuleParameter
from cpam_portal.money import ZERO, to_cents
from cpam_portal.periods import add_years

# Amounts due and regularisations: half to even, the decimal default these sums always used (the
# engine's own amounts are rounded with the dated `allowance.rounding.*` modes).
ROUNDING = ROUND_HALF_EVEN


def latest_accepted_attestation(stoppage: WorkStoppage) -> SalaryAttestation | None:
    return (
        stoppage.salary_attestations.filter(status=SalaryAttestation.Status.ACCEPTED)
        .order_by("-reviewed_at", "-pk")
        .first()
    )


def _days_paid_in_3_years(stoppage: WorkStoppage) -> int:
    """Non-ALD sickness allowances paid to the person in the 3 years before the stoppage."""
    window_start = add_years(stoppage.start_date, -3)
    days = (
        AllowancePayment.objects.filter(
            stoppage__person_id=stoppage.person_id,
            stoppage__kind=AllowanceKind.SICKNESS.value,
            stoppage__is_ald=False,
            kind=AllowancePayment.Kind.REGULAR,
            period_start__gte=window_start,
            period_end__lt=stoppage.start_date,
        )
        .exclude(stoppage_id=stoppage.pk)
        .aggregate(days=Sum("days"))["days"]
    )
    return days or 0


def _previous_stoppages(stoppage: WorkStoppage) -> QuerySet[WorkStoppage]:
    return (
        WorkStoppage.objects.filter(person_id=stoppage.person_id, end_date__lt=stoppage.start_date)
        .exclude(status=WorkStoppage.Status.REFUSED)
        .order_by("-end_date")
    )


def claim_for(stoppage: WorkStoppage) -> AllowanceClaim:
    """The engine's input for `stoppage`: its dates, salaries and the person's history."""
    attestation = latest_accepted_attestation(stoppage)
    if attestation is None:
        raise AllowanceError(
            _(
                "Aucune attestation de salaire acceptée pour cet arrêt : vérifiez et acceptez "
                "l'attestation reçue, ou saisissez les salaires."
            ),
            "salaries",
            "missing",
        )
    salaries = tuple(
        MonthlySalary(month=m.month, gross=m.gross_amount, hours_worked=m.hours_worked)
        for m in attestation.months.order_by("month")
    )
    previous = _previous_stoppages(stoppage).first()
    ald_period_start = ald_waiting_on = None
    if stoppage.is_ald:
        window = add_years(stoppage.start_date, -3)
        ald = _previous_stoppages(stoppage).filter(is_ald=True, start_date__gte=window)
        ald_period_start = ald.aggregate(first=Min("start_date"))["first"]
        waited = [s.start_date for s in ald if s.waiting_days]
        ald_waiting_on = max(waited) if waited else None
    affiliation_start = CoveragePeriod.objects.filter(person_id=stoppage.person_id).aggregate(
        first=Min("valid_from")
    )["first"]
    return AllowanceClaim(
        kind=AllowanceKind(stoppage.kind),
        stoppage_start=stoppage.start_date,
        stoppage_end=stoppage.end_date,
        salaries=salaries,
        is_ald=stoppage.is_ald,
        days_already_paid_3_years=0 if stoppage.is_ald else _days_paid_in_3_years(stoppage),
        previous_stoppage_end=previous.end_date if previous else None,
        ald_period_start=ald_period_start,
        ald_waiting_period_applied_on=ald_waiting_on,
        affiliation_start=affiliation_start,
    )


def problem_message(problem: ClaimProblem) -> str:
    return str(problem_text(problem))


def run_engine(claim: AllowanceClaim) -> AllowanceResult:
    try:
        return compute_allowance(claim, RuleParameter.objects.table("allowance."))
    except RulesNotHeld as error:  # a kind of InvalidClaim: its own message first
        raise AllowanceError(
            _(
                "Les règles d'indemnisation ne sont pas tenues pour le %(day)s : cet arrêt ne "
                "peut pas être calculé par le portail."
            )
            % {"day": error.on.strftime("%d/%m/%Y")},
            "start_date",
            "rules_not_held",
        ) from error
    except InvalidClaim as error:
        raise AllowanceError(
            " ; ".join(problem_message(problem) for problem in error.problems),
            error.problems[0].field if error.problems else None,
            "invalid_claim",
        ) from error


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def result_json(claim: AllowanceClaim, result: AllowanceResult) -> dict:
    """The result as stored: every figure a string, dates in ISO form."""
    eligibility = result.eligibility
    return {
        "figures": {
            "waiting_days": result.waiting_days,
            "is_waiting_period_applied": result.is_waiting_period_applied,
            "salary_cap_monthly": _text(result.salary_cap_monthly),
            "daily_base_cap": _text(result.daily_base_cap),
            "daily_base": _text(result.daily_base),
            "daily_amount": _text(result.daily_amount),
            "daily_amount_from_day_29": _text(result.daily_amount_from_day_29),
            "days_paid": result.days_paid,
            "total": _text(result.total),
            "last_payable_day": _text(result.last_payable_day),
            "stoppage_start": _text(result.stoppage_start),
            "stoppage_end": _text(result.stoppage_end),
        },
        "eligibility": {
            "is_required": eligibility.is_required,
            "is_met": eligibility.is_met,
            "applies_over_6_months": eligibility.applies_over_6_months,
        },
        "segments": [
            {"start": _text(s.start), "end": _text(s.end), "daily_amount": _text(s.daily_amount)}
            for s in result.segments
        ],
        "explanation": [
            {
                "rule": step.rule,
                "value": step.value,
                "params": {key: str(value) for key, value in step.params.items()},
                "effective_from": _text(step.effective_from),
                "source": step.source,
            }
            for step in result.explanation
        ],
        "inputs": {
            "salaries": [
                {
                    "month": _text(s.month),
                    "gross": _text(s.gross),
                    "hours_worked": _text(s.hours_worked),
                }
                for s in claim.salaries
            ],
            **{
                key: _text(value)
                for key, value in asdict(claim).items()
                if key not in ("salaries", "kind", "stoppage_start", "stoppage_end")
            },
        },
    }


def segments_of(stoppage: WorkStoppage) -> tuple[PaidSegment, ...]:
    return tuple(
        PaidSegment(
            start=date.fromisoformat(s["start"]),
            end=date.fromisoformat(s["end"]),
            daily_amount=Decimal(s["daily_amount"]),
        )
        for s in (stoppage.computation or {}).get("segments", [])
    )


def explanation_of(stoppage: WorkStoppage) -> list[ExplanationStep]:
    return [
        ExplanationStep(
            rule=step["rule"],
            value=step["value"],
            params=step.get("params") or {},
            effective_from=(
                date.fromisoformat(step["effective_from"]) if step.get("effective_from") else None
            ),
            source=step.get("source", ""),
        )
        for step in (stoppage.computation or {}).get("explanation", [])
    ]


def amount_due(
    segments: Iterable[PaidSegment], period_start: date, period_end: date
) -> tuple[int, Decimal]:
    """Days and amount due for [period_start, period_end]: days x daily amount per segment."""
    days, amount = 0, ZERO
    for segment in segments:
        start, end = max(segment.start, period_start), min(segment.end, period_end)
        if start <= end:
            count = (end - start).days + 1
            days += count
            amount += segment.daily_amount * count
    return days, to_cents(amount, ROUNDING)


def apply_result(
    stoppage: WorkStoppage, claim: AllowanceClaim, result: AllowanceResult, *, now: datetime
) -> None:
    """Store `result` on the (locked) stoppage, and regularise the periods already paid."""
    stoppage.computation_number += 1
    stoppage.computed_at = now
    stoppage.daily_base = result.daily_base
    stoppage.daily_amount = result.daily_amount
    stoppage.daily_amount_from_day_29 = result.daily_amount_from_day_29
    stoppage.waiting_days = result.waiting_days
    stoppage.days_payable = result.days_paid
    stoppage.computation = result_json(claim, result)
    stoppage.save(
        update_fields=[
            "computation_number",
            "computed_at",
            "daily_base",
            "daily_amount",
            "daily_amount_from_day_29",
            "waiting_days",
            "days_payable",
            "computation",
            "updated_at",
        ]
    )
    regularise(stoppage, on=timezone.localdate(now))


def regularise(stoppage: WorkStoppage, *, on: date) -> list[AllowancePayment]:
    """One regularisation line per paid period whose amount the new result changes."""
    segments = segments_of(stoppage)
    lines = list(stoppage.payments.order_by("period_start", "pk"))
    created = []
    for payment in [line for line in lines if line.kind == AllowancePayment.Kind.REGULAR]:
        paid = sum(
            (line.amount for line in lines if line.period_start == payment.period_start),
            ZERO,
        )
        days, due = amount_due(segments, payment.period_start, payment.period_end)
        if due == paid:
            continue
        created.append(
            AllowancePayment.objects.create(
                stoppage=stoppage,
                kind=AllowancePayment.Kind.REGULARISATION,
                period_start=payment.period_start,
                period_end=payment.period_end,
                days=payment.days,
                daily_amount=to_cents(due / days, ROUNDING) if days else ZERO,
                amount=due - paid,
                computation_number=stoppage.computation_number,
                paid_on=on,
            )
        )
    return created


def compute(stoppage: WorkStoppage, *, now: datetime) -> AllowanceResult:
    """Run the engine on the locked `stoppage` and keep the result (caller's transaction)."""
    claim = claim_for(stoppage)
    result = run_engine(claim)
    apply_result(stoppage, claim, result, now=now)
    return result
