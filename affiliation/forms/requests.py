"""Forms of the affiliation request: situation, identity and contact, documents, staff actions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from affiliation.countries import country_choices
from affiliation.models import AffiliationRequest, RequestDocument
from affiliation.rules import requests as rules
from affiliation.services.records import NoFundForPostcode, fund_for_postcode
from affiliation.validators import check_nir_matches_identity, clean_nir
from cpam_portal.forms import DateInput
from cpam_portal.uploads import MAX_BYTES, check_upload


class SituationForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Votre situation"),
        choices=AffiliationRequest.Situation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez votre situation.")},
    )


class RequestIdentityForm(forms.ModelForm):
    """S1106 parts 1 and 2: who the applicant is, where they live, how to reach them."""

    birth_country = forms.ChoiceField(label=_("Pays de naissance"))
    nationality = forms.ChoiceField(label=_("Nationalité"))

    class Meta:
        model = AffiliationRequest
        fields = [
            "situation",
            "last_name",
            "birth_name",
            "first_names",
            "sex",
            "birth_date",
            "birth_country",
            "birth_place",
            "nationality",
            "nir",
            "holder_nir",
            "relationship",
            "address_line_1",
            "address_line_2",
            "postcode",
            "city",
            "phone",
            "email",
        ]
        widgets = {
            "birth_date": DateInput(),
            "sex": forms.RadioSelect,
            "situation": forms.RadioSelect,
        }
        help_texts = {
            "birth_name": _("Si différent du nom d'usage."),
            "nir": _(
                "Si vous avez déjà un numéro de sécurité sociale (15 caractères). Sinon, "
                "laissez vide : un numéro provisoire vous sera attribué."
            ),
            "holder_nir": _("Le numéro de sécurité sociale de l'assuré(e) dont vous dépendez."),
            "postcode": _("5 chiffres, par exemple 69003."),
        }

    required_fields = (
        "last_name",
        "first_names",
        "sex",
        "birth_date",
        "birth_place",
        "address_line_1",
        "postcode",
        "city",
        "email",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choisissez un pays")), *country_choices()]
        self.fields["birth_country"].choices = choices
        self.fields["nationality"].choices = choices
        self.fields["sex"].choices = self.fields["sex"].choices[1:]  # no empty radio
        for name in self.required_fields:
            self.fields[name].required = True
        self.fields["situation"].required = True
        self.fields["situation"].choices = AffiliationRequest.Situation.choices  # no blank radio
        self.fields["relationship"].choices = [
            ("", _("Choisissez")),
            *AffiliationRequest.Relationship.choices,
        ]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["postcode"].widget.attrs.update(
            {"autocomplete": "postal-code", "inputmode": "numeric"}
        )

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and birth_date > timezone.localdate():
            raise ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        if birth_date and birth_date.year < 1900:
            raise ValidationError(_("Vérifiez l'année de naissance."))
        return birth_date

    def clean_nir(self):
        value = self.cleaned_data.get("nir", "")
        return clean_nir(value) if value.strip() else ""

    def clean_holder_nir(self):
        value = self.cleaned_data.get("holder_nir", "")
        return clean_nir(value) if value.strip() else ""

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        try:
            fund_for_postcode(postcode)
        except NoFundForPostcode as error:
            raise ValidationError(
                _(
                    "Aucune caisse de ce portail ne couvre le code postal « %(postcode)s » : "
                    "vérifiez-le (5 chiffres)."
                ),
                params={"postcode": postcode},
            ) from error
        return postcode

    def clean(self):
        cleaned = super().clean()
        nir, sex, birth_date = cleaned.get("nir"), cleaned.get("sex"), cleaned.get("birth_date")
        if nir and sex and birth_date:
            try:
                check_nir_matches_identity(nir, sex=sex, birth_date=birth_date)
            except ValidationError as error:
                self.add_error("nir", error)
        if cleaned.get("situation") == rules.Situation.DEPENDANT:
            if not cleaned.get("holder_nir") and "holder_nir" not in self.errors:
                self.add_error(
                    "holder_nir",
                    _("Indiquez le numéro de sécurité sociale de l'assuré(e) dont vous dépendez."),
                )
            if not cleaned.get("relationship"):
                self.add_error("relationship", _("Indiquez votre lien avec l'assuré(e)."))
        else:
            cleaned["holder_nir"] = ""
            cleaned["relationship"] = ""
        return cleaned


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature du document"))
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, JPEG ou PNG, 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={
            "required": _("Choisissez un fichier."),
            "empty": _("Le fichier est vide."),
        },
        allow_empty_file=True,  # our own check gives the message
    )

    def __init__(self, *args, request: AffiliationRequest, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(RequestDocument.Kind.choices)
        self.fields["kind"].choices = [("", _("Choisissez"))] + [
            (item.kind.value, labels[item.kind]) for item in request.checklist()
        ]
        self.max_bytes = MAX_BYTES

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class CompletionForm(forms.Form):
    message = forms.CharField(
        label=_("Message pour la caisse (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Staff (admin) ------------------------------------------------------------------------------


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Informations ou documents demandés"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Le demandeur lit ce message sur sa demande."),
        error_messages={"required": _("Écrivez ce que le demandeur doit fournir.")},
    )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Le demandeur lit ce motif sur sa demande."),
        error_messages={"required": _("Le motif du refus est obligatoire.")},
    )


class AcceptanceForm(forms.Form):
    nir = forms.CharField(
        label=_("NIR (facultatif)"),
        required=False,
        max_length=21,
        help_text=_(
            "Laissez vide pour garder le numéro donné par le demandeur ou, pour une personne "
            "née à l'étranger sans numéro, attribuer un NIA."
        ),
    )

    def clean_nir(self):
        value = self.cleaned_data["nir"]
        return clean_nir(value) if value.strip() else ""
