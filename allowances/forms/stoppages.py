"""Forms of the insured person's pages: they parse and explain; services decide and save."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.fr import siret

from affiliation.models import IssuedDocument
from allowances.models import StoppageKind
from allowances.rules.engine import months_needed
from allowances.rules.types import AllowanceKind
from allowances.services.stoppages import NoticeInput, SalaryInput, StoppageInput
from cpam_portal.forms import DateInput
from cpam_portal.models import RuleParameter
from cpam_portal.professional_numbers import InvalidRpps, parse_rpps
from cpam_portal.uploads import MAX_BYTES, check_upload

RPPS_MESSAGES = {
    "shape": _("Le numéro RPPS du prescripteur compte 11 chiffres."),
    "key": _(
        "Ce numéro RPPS n'existe pas : son dernier chiffre (la clé) ne correspond pas. "
        "Vérifiez chaque chiffre de l'avis d'arrêt de travail."
    ),
}


def clean_rpps(value: str) -> str:
    try:
        return parse_rpps(value)
    except InvalidRpps as error:
        raise ValidationError(RPPS_MESSAGES[error.reason], code="rpps_" + error.reason) from error


def clean_siret(value: str) -> str:
    """The 14-digit SIRET of the employer (python-stdnum: length, digits, Luhn key)."""
    try:
        return siret.validate(value)
    except (InvalidLength, InvalidFormat) as error:
        raise ValidationError(
            _("Le numéro SIRET compte 14 chiffres (il figure sur vos bulletins de salaire)."),
            code="siret_format",
        ) from error
    except (InvalidChecksum, InvalidComponent) as error:
        raise ValidationError(
            _("Ce numéro SIRET n'existe pas : vérifiez chaque chiffre sur un bulletin de salaire."),
            code="siret_key",
        ) from error


def file_field(label, help_text=None) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=help_text or _("PDF, JPEG ou PNG, 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={
            "required": _("Choisissez un fichier."),
            "empty": _("Le fichier est vide."),
        },
        allow_empty_file=True,  # cpam_portal.uploads gives the message
    )


class NoticeFields(forms.Form):
    """The facts printed on an avis d'arrêt de travail, and its scan."""

    start_date = forms.DateField(label=_("Premier jour d'arrêt"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Dernier jour d'arrêt"),
        help_text=_("La date « jusqu'au » de l'avis, incluse."),
        widget=DateInput(),
    )
    prescribed_on = forms.DateField(label=_("Date de la prescription"), widget=DateInput())
    prescriber_name = forms.CharField(label=_("Nom du médecin prescripteur"), max_length=120)
    prescriber_rpps = forms.CharField(
        label=_("Numéro RPPS du prescripteur"),
        help_text=_("11 chiffres, imprimés sur l'avis d'arrêt de travail."),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    scan = file_field(_("Avis d'arrêt de travail (volet 3, scanné ou photographié)"))

    def __init__(self, *args, on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on
        self.max_bytes = MAX_BYTES

    def clean_prescriber_rpps(self) -> str:
        return clean_rpps(self.cleaned_data["prescriber_rpps"])

    def clean_scan(self):
        return check_upload(self.cleaned_data["scan"])

    def clean_prescribed_on(self) -> date:
        prescribed_on = self.cleaned_data["prescribed_on"]
        if prescribed_on > self.on:
            raise ValidationError(_("La date de la prescription ne peut pas être à venir."))
        return prescribed_on

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("Le dernier jour d'arrêt ne peut pas précéder le premier.")
            )
        return data

    def notice(self) -> NoticeInput:
        data = self.cleaned_data
        return NoticeInput(
            start_date=data["start_date"],
            end_date=data["end_date"],
            prescribed_on=data["prescribed_on"],
            prescriber_name=data["prescriber_name"].strip(),
            prescriber_rpps=data["prescriber_rpps"],
        )


class StoppageForm(NoticeFields):
    kind = forms.ChoiceField(
        label=_("Motif de l'arrêt"), choices=StoppageKind.choices, widget=forms.RadioSelect
    )
    is_ald = forms.BooleanField(
        label=_("Arrêt en rapport avec une affection de longue durée (ALD)"),
        help_text=_("Case cochée par le médecin sur l'avis (maladie seulement)."),
        required=False,
    )
    employer_name = forms.CharField(label=_("Nom de l'employeur"), max_length=120)
    employer_siret = forms.CharField(
        label=_("SIRET de l'employeur"),
        help_text=_("14 chiffres, sur vos bulletins de salaire."),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    field_order = [
        "kind",
        "start_date",
        "end_date",
        "prescribed_on",
        "prescriber_name",
        "prescriber_rpps",
        "is_ald",
        "employer_name",
        "employer_siret",
        "scan",
    ]

    def clean_employer_siret(self) -> str:
        return clean_siret(self.cleaned_data["employer_siret"])

    def stoppage(self) -> StoppageInput:
        data = self.cleaned_data
        return StoppageInput(
            kind=data["kind"],
            employer_name=data["employer_name"].strip(),
            employer_siret=data["employer_siret"],
            is_ald=data["is_ald"],
        )


class ExtensionForm(NoticeFields):
    pass


def months_to_declare(kind: str, stoppage_start: date) -> list[date]:
    """The months whose pay the base uses: 3 calendar months before (1 for AT/MP)."""
    table = RuleParameter.objects.table("allowance.")
    return sorted(months_needed(AllowanceKind(kind), stoppage_start, table).required)


class SalaryAttestationForm(forms.Form):
    """The employer's attestation and, for each month the base uses, gross pay and hours."""

    document = file_field(_("Attestation de salaire remplie par l'employeur"))

    def __init__(self, *args, months: list[date], **kwargs):
        super().__init__(*args, **kwargs)
        self.months = months
        self.max_bytes = MAX_BYTES
        self.month_rows = []
        for month in months:
            label = date_format(month, "F Y")
            gross = forms.DecimalField(
                label=_("Salaire brut de %(month)s (€)") % {"month": label},
                min_value=Decimal("0"),
                max_digits=10,
                decimal_places=2,
                error_messages={
                    "required": _("Indiquez le salaire brut de %(month)s.") % {"month": label},
                    "min_value": _("Le salaire de %(month)s ne peut pas être négatif.")
                    % {"month": label},
                },
                localize=True,
            )
            hours = forms.DecimalField(
                label=_("Heures travaillées en %(month)s") % {"month": label},
                min_value=Decimal("0"),
                max_digits=6,
                decimal_places=2,
                error_messages={
                    "required": _("Indiquez les heures travaillées en %(month)s.")
                    % {"month": label},
                    "min_value": _("Les heures de %(month)s ne peuvent pas être négatives.")
                    % {"month": label},
                },
                localize=True,
            )
            key = f"{month:%Y_%m}"
            self.fields[f"gross_{key}"] = gross
            self.fields[f"hours_{key}"] = hours
            self.month_rows.append((label, f"gross_{key}", f"hours_{key}"))

    def clean_document(self):
        return check_upload(self.cleaned_data["document"])

    def salaries(self) -> list[SalaryInput]:
        return [
            SalaryInput(
                month=month,
                gross_amount=self.cleaned_data[f"gross_{month:%Y_%m}"],
                hours_worked=self.cleaned_data[f"hours_{month:%Y_%m}"],
            )
            for month in self.months
        ]

    def rows(self):
        return [(label, self[gross], self[hours]) for label, gross, hours in self.month_rows]


class PaymentAttestationForm(forms.Form):
    first_day = forms.DateField(label=_("Paiements effectués à partir du"), widget=DateInput())
    last_day = forms.DateField(label=_("Jusqu'au (inclus)"), widget=DateInput())
    language = forms.ChoiceField(
        label=_("Langue du document"),
        choices=IssuedDocument.Language.choices,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("La fin de la période ne peut pas précéder son début."))
        return data
