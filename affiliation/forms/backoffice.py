"""Forms of the back office's fiche assuré."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from affiliation.models import Beneficiary, InsuredPerson
from affiliation.validators import clean_staff_number


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
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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
