"""Shapes of the daily-allowance simulator API (`POST /api/v1/simulations/daily-allowance/`).

drf-spectacular turns a class docstring into the schema's description, untranslated: notes on
these classes are comments, and the documented texts are translated help_texts.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from allowances.rules.types import AllowanceClaim, AllowanceKind, MonthlySalary

# Years 1900-2099: a salary month outside them is a typing error (and year 0 has no date).
MONTH_PATTERN = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"


class MonthlySalarySerializer(serializers.Serializer):
    month = serializers.RegexField(
        MONTH_PATTERN,
        help_text=_("Mois civil, AAAA-MM."),
        error_messages={"invalid": _("Indiquez un mois au format AAAA-MM, par exemple 2025-11.")},
    )
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text=_("Salaire brut du mois, en euros (chaîne à deux décimales)."),
    )
    hours_worked = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Heures travaillées dans le mois, si connues (conditions d'ouverture)."),
    )


class SimulationRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[kind.value for kind in AllowanceKind],
        help_text=_("sickness (maladie), work_accident (accident du travail), maternity."),
    )
    stoppage_start = serializers.DateField(help_text=_("Premier jour de l'arrêt."))
    stoppage_end = serializers.DateField(help_text=_("Dernier jour de l'arrêt (inclus)."))
    monthly_gross_salaries = MonthlySalarySerializer(
        many=True,
        allow_empty=False,
        help_text=_(
            "Salaires bruts des mois précédant l'arrêt : les 3 derniers mois (maladie, maternité) "
            "ou le dernier (accident du travail) sont obligatoires ; jusqu'à 12 mois pour vérifier "
            "les conditions d'ouverture."
        ),
    )
    ald = serializers.BooleanField(
        default=False, help_text=_("Arrêt maladie pour une affection de longue durée.")
    )
    days_already_paid_3_years = serializers.IntegerField(
        min_value=0,
        max_value=1100,
        default=0,
        help_text=_("Indemnités maladie (hors ALD) déjà versées dans les 3 ans avant l'arrêt."),
    )
    previous_stoppage_end = serializers.DateField(
        allow_null=True,
        required=False,
        default=None,
        help_text=_("Dernier jour de l'arrêt précédent (reprise de 48 heures au plus)."),
    )
    affiliation_start = serializers.DateField(
        allow_null=True,
        required=False,
        default=None,
        help_text=_("Début de l'immatriculation, si connu (arrêts de plus de 6 mois, maternité)."),
    )

    def claim(self) -> AllowanceClaim:
        data = self.validated_data
        salaries = tuple(
            MonthlySalary(
                date.fromisoformat(f"{row['month']}-01"), row["amount"], row["hours_worked"]
            )
            for row in data["monthly_gross_salaries"]
        )
        return AllowanceClaim(
            kind=AllowanceKind(data["kind"]),
            stoppage_start=data["stoppage_start"],
            stoppage_end=data["stoppage_end"],
            salaries=salaries,
            is_ald=data["ald"],
            days_already_paid_3_years=data["days_already_paid_3_years"],
            previous_stoppage_end=data["previous_stoppage_end"],
            affiliation_start=data["affiliation_start"],
        )


# --- Response (documentation only: the view builds plain dicts with `result_payload`) ---------
# drf-spectacular names a schema component after its class, and one schema holds every app's
# components: names say which simulator they belong to (the care-sheet simulator has its own
# result and explanation steps). The 400 body is cpam_portal.problems.ProblemSerializer.


class PeriodField(serializers.ListField):
    child = serializers.DateField()


class EligibilitySerializer(serializers.Serializer):
    is_required = serializers.BooleanField(
        help_text=_("Faux pour un accident du travail (aucune condition).")
    )
    is_met = serializers.BooleanField(
        allow_null=True, help_text=_("Null quand les informations données ne suffisent pas.")
    )
    hours_threshold = serializers.IntegerField()
    hours_period = PeriodField(help_text=_("Premier et dernier jour, inclus."))
    hours_worked = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    contribution_threshold = serializers.DecimalField(max_digits=12, decimal_places=2)
    contribution_period = PeriodField()
    contributions = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    smic_hourly = serializers.DecimalField(max_digits=6, decimal_places=2)
    applies_over_6_months = serializers.BooleanField()
    hours_threshold_over_6_months = serializers.IntegerField()
    hours_period_over_6_months = PeriodField()
    contribution_threshold_over_6_months = serializers.DecimalField(max_digits=12, decimal_places=2)
    contribution_period_over_6_months = PeriodField()
    affiliation_months_over_6_months = serializers.IntegerField(allow_null=True)
    is_met_over_6_months = serializers.BooleanField(allow_null=True)


class DailyAllowanceExplanationStepSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("Code stable de la règle appliquée."))
    text = serializers.CharField(help_text=_("La règle en clair, dans la langue demandée."))
    value = serializers.CharField()
    params = serializers.DictField(child=serializers.CharField())
    effective_from = serializers.DateField(
        allow_null=True, help_text=_("Date d'effet du paramètre utilisé.")
    )
    source = serializers.CharField(help_text=_("Source publique du paramètre."))


class SegmentSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()
    daily_amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class DailyAllowanceSimulationResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    stoppage_start = serializers.DateField()
    stoppage_end = serializers.DateField()
    eligibility = EligibilitySerializer()
    waiting_days = serializers.IntegerField()
    salary_cap_monthly = serializers.DecimalField(max_digits=12, decimal_places=2)
    daily_base_cap = serializers.DecimalField(max_digits=12, decimal_places=2)
    daily_base = serializers.DecimalField(max_digits=12, decimal_places=2)
    daily_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    daily_amount_from_day_29 = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True
    )
    days_paid = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    last_payable_day = serializers.DateField(allow_null=True)
    segments = SegmentSerializer(many=True)
    explanation = DailyAllowanceExplanationStepSerializer(many=True)
