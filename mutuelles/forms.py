"""Forms of the insured person's complementary-cover pages: they parse and explain; the
services decide and save."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from affiliation.models import Beneficiary
from cpam_portal.forms import DateInput
from mutuelles.models import Mutuelle


class BeneficiaryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, entry: Beneficiary) -> str:
        return f"{entry.rank_label} — {entry.person.first_names} {entry.person.last_name}"


class ContractForm(forms.Form):
    entry = BeneficiaryChoiceField(label=_("Personne couverte"), queryset=Beneficiary.objects)
    mutuelle = forms.ModelChoiceField(label=_("Mutuelle"), queryset=Mutuelle.objects)
    member_number = forms.CharField(
        label=_("Numéro d'adhérent"),
        help_text=_("Tel qu'il figure sur votre carte de tiers payant."),
        max_length=30,
    )
    valid_from = forms.DateField(label=_("Début du contrat"), widget=DateInput())
    last_day = forms.DateField(
        label=_("Dernier jour couvert (facultatif)"),
        help_text=_("Laissez vide si le contrat n'a pas de date de fin."),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["mutuelle"].queryset = Mutuelle.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        valid_from, last_day = cleaned.get("valid_from"), cleaned.get("last_day")
        if valid_from and last_day and last_day < valid_from:
            self.add_error(
                "last_day",
                _("Le dernier jour couvert ne peut pas précéder le début du contrat."),
            )
        # Stored half-open: the day after the last day covered.
        cleaned["valid_until"] = last_day + timedelta(days=1) if last_day else None
        return cleaned


class ResolveConflictForm(forms.Form):
    """One conflict: the two contracts (hidden) and the one the person keeps (radio)."""

    first = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    second = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    kept = forms.IntegerField(min_value=1)

    def clean(self):
        cleaned = super().clean()
        pair = {cleaned.get("first"), cleaned.get("second")}
        if cleaned.get("kept") not in pair or len(pair) != 2:
            raise ValidationError(_("Choisissez le contrat à garder."))
        (cleaned["other"],) = pair - {cleaned["kept"]}
        return cleaned
