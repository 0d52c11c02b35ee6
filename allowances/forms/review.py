"""Staff inputs of the review actions in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from allowances.forms.stoppages import SalaryAttestationForm


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Informations ou documents demandés"),
        help_text=_("L'assuré lit ce message dans son espace ; l'e-mail ne dit que « à lire »."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        help_text=_("Montré à l'assuré dans son espace."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class StaffSalaryForm(SalaryAttestationForm):
    """Salaries keyed by staff from a paper attestation the fund keeps: no file to join."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["document"]
