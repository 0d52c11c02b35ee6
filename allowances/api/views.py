"""Daily-allowance simulator API: anonymous, throttled, reads the parameters, writes nothing."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from allowances.api.serializers import (
    DailyAllowanceSimulationResultSerializer,
    SimulationRequestSerializer,
)
from allowances.explanations import problem_text, step_text
from allowances.rules.engine import compute_allowance
from allowances.rules.types import AllowanceResult, EligibilityTest, InvalidClaim
from cpam_portal.models import RuleParameter
from cpam_portal.money import api_amount
from cpam_portal.problems import (
    REQUEST,
    ProblemSerializer,
    invalid_param,
    invalid_params_from_errors,
    problem_response,
)


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
        "hours_worked": api_amount(short.hours_worked),
        "contribution_threshold": api_amount(short.contribution_threshold),
        "contribution_period": period(short.contribution_period),
        "contributions": api_amount(short.contributions),
        "smic_hourly": api_amount(short.smic_hourly),
        "applies_over_6_months": verdict.applies_over_6_months,
        "hours_threshold_over_6_months": long.hours_threshold,
        "hours_period_over_6_months": period(long.hours_period),
        "contribution_threshold_over_6_months": api_amount(long.contribution_threshold),
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
        "salary_cap_monthly": api_amount(result.salary_cap_monthly),
        "daily_base_cap": api_amount(result.daily_base_cap),
        "daily_base": api_amount(result.daily_base),
        "daily_amount": api_amount(result.daily_amount),
        "daily_amount_from_day_29": api_amount(result.daily_amount_from_day_29),
        "days_paid": result.days_paid,
        "total": api_amount(result.total),
        "last_payable_day": result.last_payable_day.isoformat()
        if result.last_payable_day
        else None,
        "segments": [
            {
                "start": segment.start.isoformat(),
                "end": segment.end.isoformat(),
                "days": segment.days,
                "daily_amount": api_amount(segment.daily_amount),
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


def invalid_data(invalid_params: list[dict], detail: str | None = None) -> Response:
    return problem_response(_("Données de simulation invalides"), invalid_params, detail=detail)


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
        responses={200: DailyAllowanceSimulationResultSerializer, 400: ProblemSerializer},
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
            return invalid_data(
                [
                    invalid_param(problem.field, problem.code, problem_text(problem))
                    for problem in error.problems
                ]
            )
        return Response(result_payload(result))

    def handle_exception(self, exc):
        if isinstance(exc, ValidationError):
            return invalid_data(invalid_params_from_errors(exc.detail))
        if isinstance(exc, ParseError):
            return invalid_data(
                [invalid_param(REQUEST, "parse_error", exc.detail)],
                detail=_("Le corps de la requête n'est pas un JSON valide."),
            )
        return super().handle_exception(exc)
