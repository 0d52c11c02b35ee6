"""Daily-allowance simulator API: anonymous, throttled, reads the parameters, writes nothing."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from allowances.api.serializers import (
    ProblemSerializer,
    SimulationRequestSerializer,
    SimulationResultSerializer,
)
from allowances.explanations import problem_text, step_text
from allowances.rules.engine import compute_allowance
from allowances.rules.types import AllowanceResult, EligibilityTest, InvalidClaim
from cpam_portal.models import RuleParameter

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE = "https://www.ameli.fr/problemes/donnees-invalides"


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def period(dates) -> list[str]:
    return [day.isoformat() for day in dates]


def eligibility_payload(result: AllowanceResult) -> dict:
    verdict = result.eligibility
    short: EligibilityTest = verdict.up_to_6_months
    long: EligibilityTest = verdict.over_6_months
    return {
        "is_required": verdict.is_required,
        "is_met": verdict.is_met,
        "hours_threshold": short.hours_threshold,
        "hours_period": period(short.hours_period),
        "hours_worked": money(short.hours_worked),
        "contribution_threshold": money(short.contribution_threshold),
        "contribution_period": period(short.contribution_period),
        "contributions": money(short.contributions),
        "smic_hourly": money(short.smic_hourly),
        "applies_over_6_months": verdict.applies_over_6_months,
        "hours_threshold_over_6_months": long.hours_threshold,
        "hours_period_over_6_months": period(long.hours_period),
        "contribution_threshold_over_6_months": money(long.contribution_threshold),
        "contribution_period_over_6_months": period(long.contribution_period),
        "affiliation_months_over_6_months": long.affiliation_months,
        "is_met_over_6_months": long.is_met,
    }


def result_payload(result: AllowanceResult) -> dict:
    return {
        "kind": result.kind.value,
        "stoppage_start": result.stoppage_start.isoformat(),
        "stoppage_end": result.stoppage_end.isoformat(),
        "eligibility": eligibility_payload(result),
        "waiting_days": result.waiting_days,
        "salary_cap_monthly": money(result.salary_cap_monthly),
        "daily_base_cap": money(result.daily_base_cap),
        "daily_base": money(result.daily_base),
        "daily_amount": money(result.daily_amount),
        "daily_amount_from_day_29": money(result.daily_amount_from_day_29),
        "days_paid": result.days_paid,
        "total": money(result.total),
        "last_payable_day": result.last_payable_day.isoformat()
        if result.last_payable_day
        else None,
        "segments": [
            {
                "start": segment.start.isoformat(),
                "end": segment.end.isoformat(),
                "days": segment.days,
                "daily_amount": money(segment.daily_amount),
            }
            for segment in result.segments
        ],
        "explanation": [
            {
                "rule": step.rule,
                "text": step_text(step),
                "value": step.value,
                "params": dict(step.params),
                "effective_from": step.effective_from.isoformat() if step.effective_from else None,
                "source": step.source,
            }
            for step in result.explanation
        ],
    }


def _flatten(errors, name: str = "") -> list[dict]:
    """DRF's nested errors as one {name, code, reason} per message ("a[1].b" names)."""
    if isinstance(errors, dict):
        found = []
        for key, value in errors.items():
            if key == "non_field_errors":
                child = name or "request"
            elif isinstance(key, int):
                child = f"{name}[{key}]"
            else:
                child = f"{name}.{key}" if name else key
            found += _flatten(value, child)
        return found
    if isinstance(errors, list):
        if all(not isinstance(item, dict | list) for item in errors):
            return [
                {"name": name, "code": getattr(item, "code", "invalid"), "reason": str(item)}
                for item in errors
            ]
        found = []
        for index, item in enumerate(errors):
            if item:  # DRF leaves {} for the valid items of a list
                found += _flatten(item, f"{name}[{index}]")
        return found
    return [{"name": name, "code": getattr(errors, "code", "invalid"), "reason": str(errors)}]


def problem_response(invalid_params: list[dict], detail: str | None = None) -> Response:
    names = ", ".join(dict.fromkeys(param["name"] for param in invalid_params))
    body = {
        "type": PROBLEM_TYPE,
        "title": _("Données de simulation invalides"),
        "status": status.HTTP_400_BAD_REQUEST,
        "detail": detail or _("Corrigez les champs suivants : %(names)s.") % {"names": names},
        "invalid_params": invalid_params,
    }
    return Response(body, status=status.HTTP_400_BAD_REQUEST, content_type=PROBLEM_CONTENT_TYPE)


class DailyAllowanceSimulationView(APIView):
    @extend_schema(
        operation_id="simulate_daily_allowance",
        summary=gettext_lazy("Simuler des indemnités journalières"),
        description=gettext_lazy(
            "Calcule les indemnités journalières d'un arrêt (maladie, accident du travail, "
            "maternité) avec les règles en vigueur à sa date de début, et l'explication de "
            "chaque chiffre. Anonyme ; rien n'est enregistré. Une erreur de saisie répond 400 "
            "avec un document application/problem+json qui nomme chaque champ en cause."
        ),
        request=SimulationRequestSerializer,
        responses={200: SimulationResultSerializer, 400: ProblemSerializer},
        examples=[
            OpenApiExample(
                "sickness",
                request_only=True,
                value={
                    "kind": "sickness",
                    "stoppage_start": "2026-02-10",
                    "stoppage_end": "2026-02-28",
                    "monthly_gross_salaries": [
                        {"month": "2025-11", "amount": "2000.00"},
                        {"month": "2025-12", "amount": "2000.00"},
                        {"month": "2026-01", "amount": "2000.00"},
                    ],
                    "ald": False,
                    "days_already_paid_3_years": 0,
                    "previous_stoppage_end": None,
                },
            )
        ],
    )
    def post(self, request):
        serializer = SimulationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        table = RuleParameter.objects.table("allowance.")
        try:
            result = compute_allowance(serializer.claim(), table)
        except InvalidClaim as error:
            return problem_response(
                [
                    {"name": problem.field, "code": problem.code, "reason": problem_text(problem)}
                    for problem in error.problems
                ]
            )
        return Response(result_payload(result))

    def handle_exception(self, exc):
        if isinstance(exc, ValidationError):
            return problem_response(_flatten(exc.detail))
        if isinstance(exc, ParseError):
            return problem_response(
                [{"name": "request", "code": "parse_error", "reason": str(exc.detail)}],
                detail=_("Le corps de la requête n'est pas un JSON valide."),
            )
        return super().handle_exception(exc)
