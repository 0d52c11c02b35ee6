"""The public simulator's form: the person's situation and up to `LINE_SLOTS` act lines.

A line counts when its act code is filled; empty slots are ignored. The forms only parse: the
engine decides (and its errors are put back on the fields by `SimulatorForms.add_engine_errors`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpam_portal.forms import DateInput
from reimbursements.rules.limits import MAX_LINE_AMOUNT, MAX_QUANTITY
from reimbursements.rules.types import (
    AlreadyWithheld,
    BeneficiarySituation,
    CareLine,
    Exemption,
    FieldError,
    Pathway,
    Professional,
    Scheme,
    Sector,
    SheetInput,
    Specialty,
)
from reimbursements.simulation import ERROR_MESSAGES

# Line rows of the page (an example, not a bound: the API takes up to MAX_LINES).
LINE_SLOTS = 3

SCHEME_CHOICES = [
    (Scheme.GENERAL, _("Régime général")),
    (Scheme.ALSACE_MOSELLE, _("Régime local d'Alsace-Moselle")),
]
EXEMPTION_CHOICES = [
    (Exemption.ALD, _("Affection de longue durée (ALD)")),
    (Exemption.MATERNITY, _("Maternité (à partir du 6e mois de grossesse)")),
    (Exemption.CSS, _("Complémentaire santé solidaire (CSS)")),
    (Exemption.AME, _("Aide médicale de l'État (AME)")),
    (Exemption.AT_MP, _("Accident du travail ou maladie professionnelle")),
    (Exemption.INVALIDITY, _("Pension d'invalidité")),
]
PROFESSIONAL_CHOICES = [
    (Professional.GENERAL_PRACTITIONER, _("Médecin généraliste")),
    (Professional.SPECIALIST, _("Médecin spécialiste")),
    (Professional.DENTIST, _("Chirurgien-dentiste")),
    (Professional.MIDWIFE, _("Sage-femme")),
    (Professional.NURSE, _("Infirmier ou infirmière")),
    (Professional.PHYSIOTHERAPIST, _("Masseur-kinésithérapeute")),
    (Professional.PHARMACY, _("Pharmacie")),
    (Professional.LABORATORY, _("Laboratoire d'analyses")),
    (Professional.RADIOLOGY, _("Radiologie")),
    (Professional.TRANSPORT, _("Transport sanitaire")),
    (Professional.HOSPITAL, _("Hôpital ou clinique")),
]
SECTOR_CHOICES = [
    (Sector.ONE, _("Secteur 1")),
    (Sector.TWO_OPTAM, _("Secteur 2 avec OPTAM")),
    (Sector.TWO, _("Secteur 2 sans OPTAM")),
    (Sector.THREE, _("Non conventionné (secteur 3)")),
]
PATHWAY_CHOICES = [
    (Pathway.DECLARED_GP, _("Mon médecin traitant")),
    (Pathway.REFERRED_BY_GP, _("Envoyé par mon médecin traitant")),
    (Pathway.DIRECT_ACCESS, _("Accès direct")),
    (Pathway.EMERGENCY, _("Urgence")),
    (Pathway.AWAY_FROM_HOME, _("Loin de chez moi")),
    (Pathway.OUTSIDE_PATHWAY, _("Hors parcours de soins")),
]
SPECIALTY_CHOICES = [
    ("", _("Autre ou sans objet")),
    (Specialty.GYNAECOLOGY, _("Gynécologie")),
    (Specialty.OPHTHALMOLOGY, _("Ophtalmologie")),
    (Specialty.PSYCHIATRY, _("Psychiatrie")),
    (Specialty.STOMATOLOGY, _("Stomatologie")),
]


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.00"),
        max_value=MAX_LINE_AMOUNT,  # also bounds the year's withheld amounts (tens of euros)
        **kwargs,
    )


class SituationForm(forms.Form):
    care_date = forms.DateField(label=_("Date des soins"), widget=DateInput())
    birth_date = forms.DateField(label=_("Date de naissance du patient"), widget=DateInput())
    scheme = forms.ChoiceField(label=_("Régime"), choices=SCHEME_CHOICES, initial=Scheme.GENERAL)
    has_declared_gp = forms.TypedChoiceField(
        label=_("Le patient a-t-il déclaré un médecin traitant ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )
    exemptions = forms.MultipleChoiceField(
        label=_("Situations particulières à la date des soins"),
        choices=EXEMPTION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participation_year = money_field(
        _("Participations forfaitaires déjà payées cette année (€)"),
        required=False,
        initial=Decimal("0.00"),
    )
    franchise_year = money_field(
        _("Franchises déjà payées cette année (€)"), required=False, initial=Decimal("0.00")
    )

    def clean_care_date(self) -> date:
        value = self.cleaned_data["care_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date des soins est dans le futur."), code="future")
        return value

    def clean_birth_date(self) -> date:
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate() or value.year < 1890:
            raise forms.ValidationError(_("Cette date de naissance n'est pas possible."))
        return value


class LineForm(forms.Form):
    act_code = forms.CharField(
        label=_("Code de l'acte"),
        max_length=16,
        required=False,
        help_text=_("Par exemple G, CNPSY, AMI, PH7, GHS."),
    )
    professional = forms.ChoiceField(
        label=_("Professionnel"), choices=PROFESSIONAL_CHOICES, required=False
    )
    quantity = forms.DecimalField(
        label=_("Quantité"),
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_QUANTITY,
        required=False,
        help_text=_("Nombre d'actes, de boîtes, ou coefficient d'une lettre clé."),
    )
    amount_charged = money_field(_("Montant payé (€)"), required=False)
    base = money_field(
        _("Base de remboursement d'une unité (€)"),
        required=False,
        help_text=_("Si la feuille l'indique ; sinon le tarif en vigueur à la date des soins."),
    )
    sector = forms.ChoiceField(
        label=_("Secteur du médecin"), choices=SECTOR_CHOICES, required=False
    )
    pathway = forms.ChoiceField(
        label=_("Parcours de soins"), choices=PATHWAY_CHOICES, required=False
    )
    specialty = forms.ChoiceField(
        label=_("Spécialité (accès direct)"), choices=SPECIALTY_CHOICES, required=False
    )
    ald_related = forms.BooleanField(label=_("En rapport avec l'ALD"), required=False)
    at_mp_related = forms.BooleanField(
        label=_("En rapport avec l'accident du travail"), required=False
    )
    admission = forms.DateTimeField(
        label=_("Entrée à l'hôpital"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    discharge = forms.DateTimeField(
        label=_("Sortie de l'hôpital"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    @property
    def is_filled(self) -> bool:
        return bool(self.is_bound and (self.data.get(self.add_prefix("act_code")) or "").strip())

    def clean(self):
        data = super().clean()
        if not (data.get("act_code") or "").strip():
            return data
        for name in ("professional", "amount_charged"):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, forms.ValidationError(_("Ce champ est obligatoire.")))
        return data

    def care_line(self) -> CareLine:
        data = self.cleaned_data
        return CareLine(
            act_code=data["act_code"].strip().upper(),
            quantity=data["quantity"] or Decimal(1),
            amount_charged=data["amount_charged"],
            base=data["base"],
            professional=Professional(data["professional"]),
            sector=Sector(data["sector"] or Sector.ONE),
            pathway=Pathway(data["pathway"] or Pathway.DECLARED_GP),
            ald_related=data["ald_related"],
            at_mp_related=data["at_mp_related"],
            admission=data["admission"],
            discharge=data["discharge"],
            specialty=Specialty(data["specialty"]) if data["specialty"] else None,
        )


class SimulatorForms:
    """The situation form and the line forms, bound together to one query string."""

    def __init__(self, data=None) -> None:
        self.situation = SituationForm(data, prefix="s")
        self.lines = [LineForm(data, prefix=f"l{index}") for index in range(LINE_SLOTS)]
        self.is_bound = data is not None

    def _filled(self) -> list[tuple[int, LineForm]]:
        return [(index, form) for index, form in enumerate(self.lines) if form.is_filled]

    def is_valid(self) -> bool:
        valid = self.situation.is_valid()
        filled = self._filled()
        if not filled:
            self.situation.add_error(None, str(ERROR_MESSAGES["no_lines"]))
            valid = False
        for _index, form in filled:
            valid = form.is_valid() and valid
        return valid

    @property
    def errors(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) of every error, for the summary at the top."""
        found = [("", "", str(error)) for error in self.situation.non_field_errors()]
        for form in [self.situation, *self.lines]:
            for field in form:
                for error in field.errors:
                    found.append((field.auto_id, field.label, error))
        return found

    def sheet_input(self) -> SheetInput:
        data = self.situation.cleaned_data
        self._slots = [index for index, _form in self._filled()]
        return SheetInput(
            care_date=data["care_date"],
            beneficiary=BeneficiarySituation(
                birth_date=data["birth_date"],
                scheme=Scheme(data["scheme"]),
                has_declared_gp=data["has_declared_gp"],
                exemptions=frozenset(Exemption(value) for value in data["exemptions"]),
            ),
            lines=tuple(form.care_line() for _index, form in self._filled()),
            already_withheld=AlreadyWithheld(
                participation_year=data["participation_year"] or Decimal("0.00"),
                franchise_year=data["franchise_year"] or Decimal("0.00"),
            ),
        )

    def add_engine_errors(self, errors: tuple[FieldError, ...]) -> None:
        """Put the engine's errors ("lines[1].act_code") back on the fields they name."""
        for error in errors:
            message = str(ERROR_MESSAGES[error.code])
            head, _dot, name = error.field.partition(".")
            if head.startswith("lines["):
                slot = self._slots[int(head[6:-1])]
                form = self.lines[slot]
                form.add_error(name if name in form.fields else None, message)
            elif head == "beneficiary":
                self.situation.add_error("birth_date", message)
            elif head in self.situation.fields:
                self.situation.add_error(head, message)
            else:
                self.situation.add_error(None, message)
