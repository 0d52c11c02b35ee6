"""The public daily-allowance simulator form: what the person typed, parsed and checked.

Salaries are asked month by month counting back from the stoppage ("the month before", "2 months
before"...), so no month can fall outside the ones the rules look at and no JavaScript is needed.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from allowances.rules.periods import month_start
from allowances.rules.types import AllowanceClaim, AllowanceKind, MonthlySalary
from cpam_portal.forms import DATE_INPUT_FORMATS, DateInput
from cpam_portal.periods import add_months

SALARY_MONTHS = 12
MAX_AMOUNT = Decimal("10000000")
SPACES = re.compile(r"[\s\u00a0\u202f]")

KIND_LABELS = {
    AllowanceKind.SICKNESS: _("Maladie"),
    AllowanceKind.WORK_ACCIDENT: _("Accident du travail ou maladie professionnelle"),
    AllowanceKind.MATERNITY: _("Congé maternité"),
}


def parse_amount(text: str, *, what: str) -> Decimal | None:
    """'2 000,50 €' -> Decimal('2000.50'); '' -> None."""
    cleaned = SPACES.sub("", text or "").removesuffix("€").replace(",", ".")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValidationError(
            _("Indiquez %(what)s en chiffres, par exemple 2 000 ou 2 000,50.") % {"what": what},
            code="invalid",
        )
    if amount < 0:
        raise ValidationError(_("Ce nombre ne peut pas être négatif."), code="negative")
    if amount >= MAX_AMOUNT:
        raise ValidationError(_("Ce nombre est trop élevé."), code="too_large")
    return amount


class AmountField(forms.CharField):
    def __init__(self, *, what, **kwargs):
        self.what = what
        super().__init__(max_length=20, required=False, **kwargs)

    def clean(self, value) -> Decimal | None:
        return parse_amount(super().clean(value), what=self.what)


class SimulatorDateField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(
            input_formats=DATE_INPUT_FORMATS,
            widget=DateInput(),
            error_messages={
                "invalid": _("Indiquez une date valide, par exemple 10/02/2026."),
                "required": _("Indiquez cette date."),
            },
            **kwargs,
        )


def month_label(number: int) -> str:
    if number == 1:
        return str(_("Mois précédant l'arrêt"))
    return str(_("%(number)s mois avant l'arrêt") % {"number": number})


class SimulatorForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Motif de l'arrêt"),
        choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
        initial=AllowanceKind.SICKNESS.value,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le motif de l'arrêt.")},
    )
    stoppage_start = SimulatorDateField(label=_("Premier jour de l'arrêt"))
    stoppage_end = SimulatorDateField(label=_("Dernier jour de l'arrêt"))
    ald = forms.BooleanField(
        label=_("Arrêt pour une affection de longue durée (ALD)"), required=False
    )
    days_already_paid_3_years = forms.IntegerField(
        label=_("Indemnités maladie déjà reçues dans les 3 ans avant l'arrêt (hors ALD), en jours"),
        min_value=0,
        max_value=1100,
        required=False,
        error_messages={
            "invalid": _("Indiquez un nombre de jours, par exemple 12."),
            "min_value": _("Ce nombre ne peut pas être négatif."),
            "max_value": _("Ce nombre est trop élevé."),
        },
    )
    previous_stoppage_end = SimulatorDateField(
        label=_("Fin de l'arrêt précédent, si vous avez repris le travail il y a peu"),
        required=False,
    )
    affiliation_start = SimulatorDateField(
        label=_("Date de votre immatriculation à la Sécurité sociale, si vous la connaissez"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, SALARY_MONTHS + 1):
            self.fields[f"salary_{number}"] = AmountField(
                label=_("%(month)s : salaire brut, en euros") % {"month": month_label(number)},
                what=_("un montant en euros"),
            )
            self.fields[f"hours_{number}"] = AmountField(
                label=_("%(month)s : heures travaillées") % {"month": month_label(number)},
                what=_("un nombre d'heures"),
            )

    @property
    def month_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (month_label(n), self[f"salary_{n}"], self[f"hours_{n}"])
            for n in range(1, SALARY_MONTHS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("stoppage_start"), cleaned.get("stoppage_end")
        if start and end and end < start:
            self.add_error(
                "stoppage_end",
                ValidationError(
                    _("La date de fin est antérieure à la date de début."), code="before_start"
                ),
            )
        if not any(cleaned.get(f"salary_{n}") is not None for n in range(1, SALARY_MONTHS + 1)):
            self.add_error(
                "salary_1",
                ValidationError(
                    _("Indiquez au moins le salaire brut du mois précédant l'arrêt."),
                    code="required",
                ),
            )
        return cleaned

    def salary_field_for(self, month: datetime.date) -> str | None:
        """The salary field of a calendar month, counting back from the stoppage."""
        start = month_start(self.cleaned_data["stoppage_start"])
        for number in range(1, SALARY_MONTHS + 1):
            if add_months(start, -number) == month:
                return f"salary_{number}"
        return None

    def claim(self) -> AllowanceClaim:
        data = self.cleaned_data
        start = data["stoppage_start"]
        salaries = []
        for number in range(1, SALARY_MONTHS + 1):
            gross = data.get(f"salary_{number}")
            if gross is None:
                continue
            month = add_months(month_start(start), -number)
            salaries.append(MonthlySalary(month, gross, data.get(f"hours_{number}")))
        return AllowanceClaim(
            kind=AllowanceKind(data["kind"]),
            stoppage_start=start,
            stoppage_end=data["stoppage_end"],
            salaries=tuple(sorted(salaries, key=lambda salary: salary.month)),
            is_ald=data.get("ald") or False,
            days_already_paid_3_years=data.get("days_already_paid_3_years") or 0,
            previous_stoppage_end=data.get("previous_stoppage_end"),
            affiliation_start=data.get("affiliation_start"),
        )
