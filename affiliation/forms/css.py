"""Forms of the CSS simulator and application: parse and check what the person typed."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from affiliation.models import Beneficiary
from affiliation.rules.css import Territory
from cpam_portal.forms import DATE_INPUT_FORMATS, DateInput

# Enough rows for most households; a larger household asks its fund (the page says so).
SIMULATOR_MEMBER_ROWS = 8
MAX_RESOURCES = Decimal("10000000")
# "12 345,67 €", "12345.67", "12 345" (spaces of any kind as thousands separators).
SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_resources(text: str) -> Decimal:
    cleaned = SPACES.sub("", text or "").removesuffix("€").replace(",", ".")
    if not cleaned:
        raise ValidationError(
            _("Indiquez les ressources annuelles du foyer (0 si aucune)."), code="required"
        )
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValidationError(
            _("Indiquez un montant en euros, par exemple 12 500 ou 12 500,50."), code="invalid"
        )
    if amount < 0:
        raise ValidationError(_("Les ressources ne peuvent pas être négatives."), code="negative")
    if amount >= MAX_RESOURCES:
        raise ValidationError(_("Ce montant est trop élevé pour une demande."), code="too_large")
    return amount


class ResourcesField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Ressources annuelles du foyer, en euros"),
            help_text=_(
                "Total des ressources de toutes les personnes du foyer sur les 12 mois précédant "
                "le mois qui précède la demande. Exemple : 12 500,50"
            ),
            max_length=20,
            required=False,
            **kwargs,
        )

    def clean(self, value) -> Decimal:
        return parse_resources(super().clean(value))


class BirthDateField(forms.DateField):
    def __init__(self, *, on: datetime.date, **kwargs):
        self.on = on
        super().__init__(
            input_formats=DATE_INPUT_FORMATS,
            widget=DateInput(),
            error_messages={"invalid": _("Indiquez une date valide, par exemple 15/01/1985.")},
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if value and value > self.on:
            raise ValidationError(
                _("La date de naissance ne peut pas être dans le futur."), code="future"
            )
        if value and value.year < self.on.year - 130:
            raise ValidationError(_("Vérifiez l'année de naissance."), code="too_old")


class SimulatorForm(forms.Form):
    territory = forms.ChoiceField(
        label=_("Lieu de résidence"),
        choices=[
            (Territory.METROPOLE.value, _("France métropolitaine")),
            (Territory.OVERSEAS.value, _("Département d'outre-mer")),
        ],
        initial=Territory.METROPOLE.value,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez votre lieu de résidence.")},
    )

    def __init__(self, *args, on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annual_resources"] = ResourcesField()
        for number in range(1, SIMULATOR_MEMBER_ROWS + 1):
            label = (
                _("Votre date de naissance")
                if number == 1
                else _("Date de naissance de la personne %(number)s") % {"number": number}
            )
            self.fields[f"birth_date_{number}"] = BirthDateField(
                on=on, label=label, required=number == 1
            )
        self.fields["birth_date_1"].error_messages["required"] = _(
            "Indiquez au moins votre date de naissance."
        )

    @property
    def member_fields(self):
        return [self[f"birth_date_{n}"] for n in range(1, SIMULATOR_MEMBER_ROWS + 1)]

    @property
    def birth_dates(self) -> list[datetime.date]:
        return [
            self.cleaned_data[f"birth_date_{n}"]
            for n in range(1, SIMULATOR_MEMBER_ROWS + 1)
            if self.cleaned_data.get(f"birth_date_{n}")
        ]


class FileEntryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, entry: Beneficiary) -> str:
        person = entry.person
        return f"{entry.rank_label} — {person.first_names} {person.last_name.upper()}"


class ApplicationForm(forms.Form):
    entries = FileEntryChoiceField(
        label=_("Personnes du foyer couvertes par la demande"),
        queryset=Beneficiary.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choisissez au moins une personne du foyer."),
            "invalid_choice": _("Cette personne n'est pas sur votre dossier."),
            "invalid_pk_value": _("Cette personne n'est pas sur votre dossier."),
        },
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries
        self.fields["annual_resources"] = ResourcesField()

    def clean_entries(self):
        chosen = sorted(self.cleaned_data["entries"], key=lambda entry: entry.rank)
        if not any(entry.rank == 1 for entry in chosen):
            raise ValidationError(
                _("La demande couvre toujours l'assuré titulaire du dossier (rang 01)."),
                code="holder_missing",
            )
        return chosen
