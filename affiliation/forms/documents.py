from django import forms
from django.utils.translation import gettext_lazy as _

from affiliation.models import CardOrder, IssuedDocument
from affiliation.rules.documents import MalformedCode, normalise_code

LANGUAGE_FIELD_LABEL = _("Langue du document")


def language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=LANGUAGE_FIELD_LABEL,
        choices=IssuedDocument.Language.choices,
        widget=forms.RadioSelect,
        help_text=_("Le document est rédigé entièrement dans la langue choisie."),
    )


class AttestationForm(forms.Form):
    language = language_field()


class CardOrderForm(forms.Form):
    """Order one card for a person on my file; `entries` are the file's Beneficiary rows."""

    person = forms.TypedChoiceField(label=_("Pour qui ?"), coerce=int)
    reason = forms.ChoiceField(
        label=_("Motif"),
        choices=CardOrder.Reason.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Une carte déclarée perdue ou volée est invalidée dès maintenant : "
            "elle ne pourra plus être utilisée, même si vous la retrouvez."
        ),
    )

    def __init__(self, *args, entries, with_language: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            (entry.person_id, f"{entry.rank_label} — {entry.person.first_names} "
             f"{entry.person.last_name}")
            for entry in entries
        ]  # fmt: skip
        if with_language:
            self.fields["language"] = language_field()
            self.fields["language"].label = _("Langue du certificat provisoire")


class VerificationForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=40,
        help_text=_(
            "16 lettres et chiffres, imprimés sous le QR code du document, par exemple "
            "ABCD-EFGH-JKLM-NPQR. Majuscules, minuscules, espaces et tirets sont acceptés."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        try:
            return normalise_code(self.cleaned_data["code"])
        except MalformedCode:
            raise forms.ValidationError(
                _(
                    "Ce code n'a pas le bon format : il compte 16 lettres et chiffres "
                    "(sans 0, O, 1 ni I), par exemple ABCD-EFGH-JKLM-NPQR."
                ),
                code="malformed",
            ) from None
