"""Forms of the back office's fiche assuré."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from affiliation.forms.account import AttendingDoctorForm
from affiliation.models import Beneficiary, InsuredPerson
from affiliation.rules.nir import NumberKind
from affiliation.validators import check_nir_matches_identity, clean_staff_number
from cpam_portal.forms import DATE_INPUT_FORMATS, DateInput
from cpam_portal.professional_numbers import InvalidRpps, parse_rpps


class AttachPersonForm(forms.Form):
    """Put an existing person on a holder's file: found by their number, never by a typed id."""

    nir = forms.CharField(
        label=_("NIR ou NIA de la personne à ajouter"),
        max_length=30,
        help_text=_("La personne doit déjà avoir sa fiche : créez-la d'abord si besoin."),
    )
    relationship = forms.ChoiceField(
        label=_("Lien avec l'assuré"),
        choices=[
            (Beneficiary.Relationship.SPOUSE.value, Beneficiary.Relationship.SPOUSE.label),
            (Beneficiary.Relationship.CHILD.value, Beneficiary.Relationship.CHILD.label),
            (Beneficiary.Relationship.OTHER.value, Beneficiary.Relationship.OTHER.label),
        ],
    )
    rights_from = forms.DateField(
        label=_("Droits ouverts à partir du"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
    )

    def __init__(self, *args, holder: InsuredPerson, **kwargs):
        super().__init__(*args, **kwargs)
        self.holder = holder
        self.person: InsuredPerson | None = None

    def clean_nir(self) -> str:
        number, _kind = clean_staff_number(self.cleaned_data["nir"])
        person = InsuredPerson.objects.filter(nir=number).first()
        if person is None:
            raise ValidationError(
                _("Aucune personne n'a ce numéro : créez d'abord sa fiche."), code="unknown"
            )
        if person == self.holder or self.holder.file_entries.filter(person=person).exists():
            raise ValidationError(
                _("Cette personne figure déjà sur ce dossier."), code="already_on_file"
            )
        self.person = person
        return number


class InsuredPersonAdminForm(forms.ModelForm):
    """Staff create and correct persons: numbers are checked as strictly as anywhere else.

    Only here may a legacy provisional number (NNP, 7 or 8 first) be recorded, for files
    imported from before 2023 (NNPs ended on 31/12/2022 per the Assurance Maladie's validator,
    github.com/assurance-maladie-digital/nir-validation, README and NnpValidator.php); a NIR or
    NIA must agree with the identity.
    """

    # Wider than the stored 15 characters: staff may type the number with spaces.
    nir = forms.CharField(label=_("NIR"), max_length=30)

    class Meta:
        model = InsuredPerson
        # The admin's fieldsets pick from these (its read-only fields are not form fields).
        fields = [
            "nir",
            "number_kind",
            "last_name",
            "birth_name",
            "first_names",
            "sex",
            "birth_date",
            "fund",
            "is_alsace_moselle",
            "email",
            "phone",
            "address_line_1",
            "address_line_2",
            "postcode",
            "city",
            "attending_doctor_rpps",
            "attending_doctor_name",
            "attending_doctor_since",
            "user",
        ]

    def clean_nir(self) -> str:
        number, self.parsed_kind = clean_staff_number(self.cleaned_data["nir"])
        return number

    def clean_attending_doctor_rpps(self) -> str:
        value = self.cleaned_data["attending_doctor_rpps"]
        if not value.strip():
            return ""
        try:
            return parse_rpps(value)
        except InvalidRpps as error:
            raise ValidationError(
                AttendingDoctorForm.RPPS_MESSAGES[error.reason], code="rpps_" + error.reason
            ) from error

    def clean(self):
        cleaned = super().clean()
        number, kind = cleaned.get("nir"), getattr(self, "parsed_kind", None)
        if not number or kind is None:
            return cleaned
        if kind == NumberKind.LEGACY_NNP:
            cleaned["number_kind"] = NumberKind.LEGACY_NNP.value
        elif cleaned.get("number_kind") == NumberKind.LEGACY_NNP.value:
            self.add_error(
                "number_kind",
                _("Ce numéro est un NIR ou un NIA, pas un ancien numéro provisoire (NNP)."),
            )
        elif cleaned.get("sex") and cleaned.get("birth_date"):
            try:
                check_nir_matches_identity(
                    number, sex=cleaned["sex"], birth_date=cleaned["birth_date"]
                )
            except ValidationError as error:
                self.add_error("nir", error)
        return cleaned
