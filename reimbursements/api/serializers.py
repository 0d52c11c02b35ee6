"""Shapes of the care-sheet simulator: a contract the simulator API published, so fields may be
added, never removed or renamed.

drf-spectacular turns a class docstring into the schema's description, untranslated: notes on
these classes are comments, and the documented texts are translated help_texts.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reimbursements.rules.limits import MAX_LINE_AMOUNT, MAX_LINES, MAX_QUANTITY
from reimbursements.rules.types import (
    AlreadyWithheld,
    BeneficiarySituation,
    CareLine,
    Exemption,
    Pathway,
    Professional,
    Scheme,
    Sector,
    SheetInput,
    Specialty,
)

OLDEST_BIRTH = date(1890, 1, 1)


def choices(enum) -> list[str]:
    return [member.value for member in enum]


def amount(help_text, **kwargs):
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.00"),
        max_value=MAX_LINE_AMOUNT,  # also bounds the year's withheld amounts (tens of euros)
        help_text=help_text,
        **kwargs,
    )


class BeneficiarySerializer(serializers.Serializer):
    birth_date = serializers.DateField(help_text=_("Date de naissance (AAAA-MM-JJ)."))
    scheme = serializers.ChoiceField(
        choices=choices(Scheme),
        default=Scheme.GENERAL,
        help_text=_("Régime : general ou alsace_moselle."),
    )
    has_declared_gp = serializers.BooleanField(
        default=True, help_text=_("A déclaré un médecin traitant.")
    )
    exemptions = serializers.ListField(
        child=serializers.ChoiceField(choices=choices(Exemption)),
        default=list,
        max_length=len(Exemption),
        help_text=_(
            "Situations à la date des soins : ald, maternity, css, ame, at_mp, invalidity."
        ),
    )

    def validate_birth_date(self, value):
        if value < OLDEST_BIRTH or value > timezone.localdate():
            raise serializers.ValidationError(
                _("Cette date de naissance n'est pas possible."), code="invalid_birth_date"
            )
        return value


class LineSerializer(serializers.Serializer):
    act_code = serializers.CharField(
        max_length=16, help_text=_("Code de l'acte (G, CNPSY, AMI, PH7, GHS…).")
    )
    quantity = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_QUANTITY,
        default=Decimal(1),
        help_text=_(
            "Nombre d'actes ; boîtes pour un médicament ; coefficient pour une lettre clé."
        ),
    )
    amount_charged = amount(_("Montant payé pour la ligne, en euros."))
    base = amount(
        _(
            "Base de remboursement d'une unité, si la feuille l'indique ; sinon le tarif de la "
            "nomenclature à la date des soins."
        ),
        required=False,
        allow_null=True,
        default=None,
    )
    professional = serializers.ChoiceField(choices=choices(Professional))
    sector = serializers.ChoiceField(choices=choices(Sector), default=Sector.ONE)
    pathway = serializers.ChoiceField(choices=choices(Pathway), default=Pathway.DECLARED_GP)
    ald_related = serializers.BooleanField(default=False)
    at_mp_related = serializers.BooleanField(default=False)
    professional_id = serializers.CharField(
        max_length=20, required=False, allow_null=True, allow_blank=True, default=None
    )
    admission = serializers.DateTimeField(required=False, allow_null=True, default=None)
    discharge = serializers.DateTimeField(required=False, allow_null=True, default=None)
    specialty = serializers.ChoiceField(
        choices=choices(Specialty),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Spécialité du médecin pour l'accès direct (ajout au contrat, facultatif)."),
    )


class YearToDateSerializer(serializers.Serializer):
    participation_forfaitaire = amount(
        _("Participations forfaitaires déjà retenues cette année."), default=Decimal("0.00")
    )
    franchises = amount(_("Franchises déjà retenues cette année."), default=Decimal("0.00"))


class CareSheetSimulationSerializer(serializers.Serializer):
    care_date = serializers.DateField(help_text=_("Date des soins (AAAA-MM-JJ)."))
    beneficiary = BeneficiarySerializer()
    lines = LineSerializer(many=True, min_length=1, max_length=MAX_LINES)
    year_to_date = YearToDateSerializer(required=False)

    def validate_care_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(
                _("La date des soins est dans le futur."), code="future_date"
            )
        return value

    def sheet_input(self) -> SheetInput:
        data = self.validated_data
        person = data["beneficiary"]
        year = data.get("year_to_date") or {}
        return SheetInput(
            care_date=data["care_date"],
            beneficiary=BeneficiarySituation(
                birth_date=person["birth_date"],
                scheme=Scheme(person["scheme"]),
                has_declared_gp=person["has_declared_gp"],
                exemptions=frozenset(Exemption(value) for value in person["exemptions"]),
            ),
            lines=tuple(
                CareLine(
                    act_code=line["act_code"].strip().upper(),
                    quantity=line["quantity"],
                    amount_charged=line["amount_charged"],
                    base=line["base"],
                    professional=Professional(line["professional"]),
                    sector=Sector(line["sector"]),
                    pathway=Pathway(line["pathway"]),
                    ald_related=line["ald_related"],
                    at_mp_related=line["at_mp_related"],
                    professional_id=line["professional_id"] or None,
                    admission=line["admission"],
                    discharge=line["discharge"],
                    specialty=Specialty(line["specialty"]) if line["specialty"] else None,
                )
                for line in data["lines"]
            ),
            already_withheld=AlreadyWithheld(
                participation_year=year.get("participation_forfaitaire", Decimal("0.00")),
                franchise_year=year.get("franchises", Decimal("0.00")),
            ),
        )


# --- Response (documentation only: the view builds the data with simulation.result_data) ---
# drf-spectacular names a schema component after its class, and one schema holds every app's
# components: names say which simulator they belong to (the daily-allowance simulator has its own
# result and explanation steps). The 400 body is cpam_portal.problems.ProblemSerializer.


class CareSheetExplanationStepSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("Code stable de la règle appliquée."))
    value = serializers.CharField(help_text=_("Valeur utilisée (taux, montant, nombre)."))
    effective_from = serializers.DateField(
        allow_null=True, help_text=_("Date d'entrée en vigueur de cette valeur.")
    )
    source = serializers.CharField(help_text=_("Source publique de la valeur."))
    text = serializers.CharField(help_text=_("Explication dans la langue de la requête."))


class LineResultSerializer(serializers.Serializer):
    act_code = serializers.CharField()
    family = serializers.CharField()
    quantity = serializers.CharField()
    base = serializers.CharField(help_text=_("Base de remboursement de la ligne (« 30.00 »)."))
    rate = serializers.CharField(help_text=_("Taux appliqué (« 0.70 »)."))
    amo_gross = serializers.CharField()
    participation_forfaitaire = serializers.CharField()
    franchise = serializers.CharField()
    flat_fee = serializers.CharField()
    amo_paid = serializers.CharField()
    ticket_moderateur = serializers.CharField()
    depassement = serializers.CharField()
    hospital_daily_charge = serializers.CharField()
    hospital_days = serializers.IntegerField()
    css_part = serializers.CharField()
    local_scheme_part = serializers.CharField()
    patient_remainder = serializers.CharField()
    explanation = CareSheetExplanationStepSerializer(many=True)


class TotalsSerializer(serializers.Serializer):
    amount_charged = serializers.CharField()
    base = serializers.CharField()
    amo_gross = serializers.CharField()
    participation_forfaitaire = serializers.CharField()
    franchise = serializers.CharField()
    flat_fee = serializers.CharField()
    amo_paid = serializers.CharField()
    ticket_moderateur = serializers.CharField()
    depassement = serializers.CharField()
    hospital_daily_charge = serializers.CharField()
    css_part = serializers.CharField()
    local_scheme_part = serializers.CharField()
    patient_remainder = serializers.CharField()


class CareSheetSimulationResultSerializer(serializers.Serializer):
    care_date = serializers.DateField()
    lines = LineResultSerializer(many=True)
    totals = TotalsSerializer()
