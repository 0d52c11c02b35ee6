"""The paper care sheet typed online by the insured person (or keyed by staff from a scan).

One form for the sheet (professional, date, beneficiary, tiers payant, scan) and a formset of
act lines: a fixed number of rows, and an "add a line" button that re-renders the page with
one more row, so no JavaScript is needed.
"""

import re
import uuid
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from affiliation.models import Beneficiary
from affiliation.validators import clean_nir
from cpam_portal.forms import DATE_INPUT_FORMATS, DateInput
from cpam_portal.professional_numbers import InvalidProfessionalNumber, parse_professional_number
from cpam_portal.uploads import check_upload
from reimbursements.models import Pathway, Profession, Sector
from reimbursements.rejections import RejectionCode
from reimbursements.rules.limits import ACT_CODE, MAX_LINE_AMOUNT, MAX_LINES, MAX_QUANTITY

# Who billed and where: rb-pipeline's choices (the engine's values). A hospital stay needs
# admission and discharge times: it comes electronically, not on a paper sheet typed here.
PROFESSIONS = [
    (value, capfirst(label)) for value, label in Profession.choices if value != Profession.HOSPITAL
]
SECTORS = [(value, capfirst(label)) for value, label in Sector.choices]
# The same values as Pathway, phrased for the person who was treated.
PATHWAYS = [
    (Pathway.DECLARED_GP.value, _("Je consultais mon médecin traitant (ou son remplaçant)")),
    (Pathway.REFERRED_BY_GP.value, _("Mon médecin traitant m'a orienté vers ce médecin")),
    (
        Pathway.DIRECT_ACCESS.value,
        _("Accès direct autorisé (gynécologue, ophtalmologue, psychiatre…)"),
    ),
    (Pathway.EMERGENCY.value, _("Urgence")),
    (Pathway.AWAY_FROM_HOME.value, _("Loin de mon domicile")),
    (Pathway.OUTSIDE_PATHWAY.value, _("Aucun de ces cas (hors parcours de soins)")),
]

# Rows shown on an empty form; "add a line" adds one more, up to MAX_LINES.
INITIAL_LINES = 3

PROFESSIONAL_NUMBER_ERRORS = {
    "key": (
        _("Ce numéro RPPS n'est pas valide (sa clé ne correspond pas) : vérifiez chaque chiffre."),
        "rpps_key",
    ),
    "shape": (
        _(
            "Indiquez le numéro RPPS (11 chiffres) ou ADELI (9 chiffres) imprimé sur la "
            "feuille de soins, dans le cadre du professionnel de santé."
        ),
        "professional_number_shape",
    ),
}


class CareSheetForm(forms.Form):
    """The sheet itself. `entries`: Beneficiary rows of the holder's file (holder first)."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    beneficiary = forms.TypedChoiceField(label=_("Personne soignée"), coerce=int)
    care_date = forms.DateField(
        label=_("Date des soins"),
        help_text=_("Format attendu : JJ/MM/AAAA."),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )
    professional_name = forms.CharField(
        label=_("Nom du professionnel de santé ou de l'établissement"), max_length=120
    )
    professional_number = forms.CharField(
        label=_("Numéro RPPS ou ADELI du professionnel"),
        max_length=20,
        help_text=_("11 chiffres (RPPS) ou 9 chiffres (ADELI), imprimés sur la feuille."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    profession = forms.ChoiceField(label=_("Profession"), choices=[("", "—"), *PROFESSIONS])
    sector = forms.ChoiceField(
        label=_("Secteur du professionnel"),
        choices=SECTORS,
        widget=forms.RadioSelect,
        initial="1",
        help_text=_("Indiqué sur la feuille de soins ou dans l'annuaire santé d'ameli."),
    )
    pathway = forms.ChoiceField(
        label=_("Parcours de soins"),
        choices=PATHWAYS,
        widget=forms.RadioSelect,
        initial="declared_gp",
        help_text=_("Pour une consultation de médecin ; sans objet pour les autres soins."),
    )
    has_tiers_payant = forms.TypedChoiceField(
        label=_("Avez-vous bénéficié du tiers payant ?"),
        choices=[
            ("no", _("Non, j'ai payé la totalité")),
            ("yes", _("Oui, je n'ai pas avancé la part de l'Assurance Maladie")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    scan = forms.FileField(
        label=_("Feuille de soins scannée ou photographiée"),
        help_text=_("PDF, JPEG ou PNG, 10 Mo au plus. Recto et verso dans un seul fichier."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": _("Joignez la feuille de soins scannée ou photographiée.")},
        allow_empty_file=True,  # check_upload gives its own message
    )

    def __init__(self, *args, entries, today: date, with_scan: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["beneficiary"].choices = [
            (entry.person_id, f"{entry.person.first_names} {entry.person.last_name}")
            for entry in entries
        ]
        if not with_scan:
            del self.fields["scan"]

    def clean_care_date(self) -> date:
        care_date = self.cleaned_data["care_date"]
        if care_date > self.today:
            raise ValidationError(
                _("La date des soins ne peut pas être dans le futur."), code="future_date"
            )
        return care_date

    def clean_professional_number(self) -> str:
        try:
            return parse_professional_number(self.cleaned_data["professional_number"])
        except InvalidProfessionalNumber as error:
            message, code = PROFESSIONAL_NUMBER_ERRORS[error.reason]
            raise ValidationError(message, code=code) from error

    def clean_scan(self):
        return check_upload(self.cleaned_data["scan"])


class CareLineForm(forms.Form):
    act_code = forms.CharField(
        label=_("Code de l'acte"),
        max_length=12,
        required=False,
        help_text=_("Par exemple G, APC, AMI, PH7."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # Acts or boxes, or the coefficient of a key letter (AMI 1,5; B 70): a decimal.
    quantity = forms.DecimalField(
        label=_("Quantité ou coefficient"),
        min_value=Decimal("0.01"),
        max_value=MAX_QUANTITY,
        max_digits=7,
        decimal_places=2,
        required=False,
        initial=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    amount_charged = forms.DecimalField(
        label=_("Montant payé (€)"),
        max_digits=8,
        decimal_places=2,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    # Printed on pharmacy and transport sheets (price per box, per trip): what the engine uses
    # for codes whose tariff is not fixed in the nomenclature.
    base = forms.DecimalField(
        label=_("Base de remboursement par unité (€)"),
        help_text=_("Facultatif : seulement si elle est imprimée sur la feuille."),
        max_digits=8,
        decimal_places=2,
        required=False,
        localize=True,
        min_value=Decimal("0.00"),
        max_value=MAX_LINE_AMOUNT,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_act_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["act_code"]).upper()
        if code and not ACT_CODE.fullmatch(code):
            raise ValidationError(
                _("Un code d'acte ne contient que des lettres et des chiffres."),
                code="act_code_shape",
            )
        return code

    def clean_amount_charged(self) -> Decimal | None:
        amount = self.cleaned_data["amount_charged"]
        if amount is None:
            return None
        if amount <= 0:
            raise ValidationError(
                _("Le montant doit être supérieur à 0 €."), code="amount_not_positive"
            )
        if amount > MAX_LINE_AMOUNT:
            raise ValidationError(
                _("Ce montant (plus de %(max)s €) semble erroné : vérifiez-le."),
                code="amount_absurd",
                params={"max": MAX_LINE_AMOUNT},
            )
        return amount

    def clean(self):
        cleaned = super().clean()
        code, amount = cleaned.get("act_code"), cleaned.get("amount_charged")
        if self.errors:
            return cleaned
        if code and amount is None:
            self.add_error(
                "amount_charged", ValidationError(_("Indiquez le montant payé."), code="required")
            )
        elif (amount is not None or cleaned.get("base") is not None) and not code:
            self.add_error(
                "act_code", ValidationError(_("Indiquez le code de l'acte."), code="required")
            )
        if code and not cleaned.get("quantity"):
            cleaned["quantity"] = Decimal(1)
        return cleaned

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("act_code"))


class BaseCareLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.is_filled for form in self.forms):
            raise ValidationError(
                _("Indiquez au moins un acte avec son code et le montant payé."), code="no_line"
            )

    def filled_lines(self) -> list[dict]:
        return [
            {
                "act_code": form.cleaned_data["act_code"],
                "quantity": form.cleaned_data["quantity"],
                "amount_charged": form.cleaned_data["amount_charged"],
                "base": form.cleaned_data.get("base"),
            }
            for form in self.forms
            if form.is_filled
        ]


CareLineFormSet = forms.formset_factory(
    CareLineForm,
    formset=BaseCareLineFormSet,
    extra=INITIAL_LINES,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)


def new_idempotency_key() -> uuid.UUID:
    return uuid.uuid4()


# Sheets sent online are paid without a human look unless the amount is high: above this total,
# an agent compares the typed lines with the scan before the pipeline computes them. The amount
# is the only criterion of the review queue, and the threshold is our own choice.
REVIEW_THRESHOLD = Decimal("300.00")


def should_hold_for_review(lines: list[dict]) -> bool:
    return sum((line["amount_charged"] for line in lines), Decimal(0)) > REVIEW_THRESHOLD


# --- Staff (admin) ------------------------------------------------------------------------------


class StaffCareSheetForm(CareSheetForm):
    """A sheet keyed by an agent from a scan: the file is found by the holder's NIR and the
    beneficiary by their rank on it, instead of a choice among the logged-in person's file."""

    holder_nir = forms.CharField(label=_("NIR de l'assuré (titulaire du dossier)"), max_length=30)
    rank = forms.IntegerField(
        label=_("Rang du bénéficiaire sur le dossier"),
        min_value=1,
        max_value=19,
        initial=1,
        help_text=_("01 : l'assuré lui-même ; 02 et suivants : ses ayants droit."),
    )
    field_order = ["idempotency_key", "holder_nir", "rank"]

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, entries=[], today=today, **kwargs)
        del self.fields["beneficiary"]

    def clean(self):
        cleaned = super().clean()
        nir, rank = cleaned.get("holder_nir"), cleaned.get("rank")
        if not nir or not rank:
            return cleaned
        try:
            number = clean_nir(nir)
        except ValidationError as error:
            self.add_error("holder_nir", error)
            return cleaned
        entry = (
            Beneficiary.objects.select_related("holder", "person")
            .filter(holder__nir=number, rank=rank)
            .first()
        )
        if entry is None:
            if not Beneficiary.objects.filter(holder__nir=number).exists():
                self.add_error("holder_nir", _("Aucun dossier d'assuré ne porte ce NIR."))
            else:
                self.add_error("rank", _("Ce dossier n'a pas de bénéficiaire à ce rang."))
            return cleaned
        cleaned["holder"], cleaned["beneficiary_person"] = entry.holder, entry.person
        return cleaned


class RejectionForm(forms.Form):
    code = forms.ChoiceField(label=_("Motif de rejet"))
    detail = forms.CharField(
        label=_("Précision pour l'assuré (facultatif)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Lue par l'assuré : ni NIR ni donnée de santé d'un tiers."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            (code.value, f"{code.value} — {code.label}") for code in RejectionCode
        ]
