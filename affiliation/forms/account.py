"""Forms of the insured person's space: they parse and explain; services decide and save."""

from datetime import date

from allauth.mfa.base.internal.flows import check_rate_limit
from allauth.mfa.models import Authenticator
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty import exceptions as schwifty_errors

from affiliation.rules import account as rules
from affiliation.validators import clean_nir
from cpam_portal.forms import DateInput
from cpam_portal.professional_numbers import InvalidRpps, parse_rpps


class LinkAccountForm(forms.Form):
    nir = forms.CharField(
        label=_("Numéro de sécurité sociale"),
        help_text=_("15 caractères, tels qu'ils figurent sur votre carte Vitale."),
        max_length=21,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    code = forms.CharField(
        label=_("Code d'activation"),
        help_text=_("Le code reçu de votre caisse, au format XXXX-XXXX-XXXX."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean_nir(self) -> str:
        return clean_nir(self.cleaned_data["nir"])


class AttendingDoctorForm(forms.Form):
    rpps = forms.CharField(
        label=_("Numéro RPPS du médecin"),
        help_text=_("11 chiffres, imprimés sur les ordonnances de votre médecin."),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Nom du médecin"), max_length=120)
    since = forms.DateField(label=_("Date de la déclaration"), widget=DateInput())

    RPPS_MESSAGES = {
        "shape": _("Le numéro RPPS compte 11 chiffres."),
        "key": _(
            "Ce numéro RPPS n'existe pas : son dernier chiffre (la clé) ne correspond pas. "
            "Vérifiez chaque chiffre."
        ),
    }

    def __init__(self, *args, on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on

    def clean_rpps(self) -> str:
        try:
            return parse_rpps(self.cleaned_data["rpps"])
        except InvalidRpps as error:
            raise ValidationError(
                self.RPPS_MESSAGES[error.reason], code="rpps_" + error.reason
            ) from error

    def clean_since(self) -> date:
        since = self.cleaned_data["since"]
        if since > self.on:
            raise ValidationError(_("La date de la déclaration ne peut pas être à venir."))
        return since


class AddressForm(forms.Form):
    line_1 = forms.CharField(label=_("Adresse"), max_length=120)
    line_2 = forms.CharField(label=_("Complément d'adresse"), max_length=120, required=False)
    postcode = forms.CharField(
        label=_("Code postal"),
        max_length=5,
        validators=[RegexValidator(r"^[0-9]{5}$", _("Le code postal compte 5 chiffres."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    city = forms.CharField(label=_("Commune"), max_length=80)
    moved_on = forms.DateField(label=_("Date du déménagement"), widget=DateInput())

    MOVE_DATE_MESSAGES = {
        rules.MoveDateError.FUTURE: _(
            "Déclarez votre déménagement une fois qu'il a eu lieu : la date ne peut pas être "
            "à venir."
        ),
        rules.MoveDateError.TOO_OLD: _(
            "Ce déménagement date de plus d'un an : contactez votre caisse pour le déclarer."
        ),
    }

    def __init__(self, *args, on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on

    def clean_city(self) -> str:
        return self.cleaned_data["city"].strip().upper()

    def clean_moved_on(self) -> date:
        moved_on = self.cleaned_data["moved_on"]
        error = rules.move_date_error(moved_on, self.on)
        if error is not None:
            raise ValidationError(self.MOVE_DATE_MESSAGES[error], code="move_" + error.value)
        return moved_on


IBAN_MESSAGES = {
    schwifty_errors.InvalidCountryCode: _(
        "Les deux premières lettres de l'IBAN ne désignent aucun pays (FR pour la France)."
    ),
    schwifty_errors.InvalidLength: _(
        "Cet IBAN n'a pas le bon nombre de caractères pour son pays (27 pour un IBAN français)."
    ),
    schwifty_errors.InvalidChecksumDigits: _(
        "Cet IBAN contient une erreur : sa clé (3e et 4e caractères) ne correspond pas au "
        "numéro. Vérifiez chaque caractère."
    ),
    schwifty_errors.InvalidBBANChecksum: _(
        "Cet IBAN contient une erreur : la clé RIB (2 derniers chiffres) ne correspond pas au "
        "numéro de compte."
    ),
}
IBAN_STRUCTURE_MESSAGE = _(
    "Cet IBAN n'a pas la forme attendue : recopiez-le depuis votre RIB, lettres et chiffres."
)


def clean_iban(value: str) -> IBAN:
    try:
        iban = IBAN(value, validate_bban=True)
    except schwifty_errors.SchwiftyException as error:
        message = next(
            (text for kind, text in IBAN_MESSAGES.items() if isinstance(error, kind)),
            IBAN_STRUCTURE_MESSAGE,
        )
        raise ValidationError(message, code="iban") from error
    if not iban.in_sepa_zone:
        raise ValidationError(
            _(
                "Les remboursements ne sont versés que sur un compte de la zone SEPA (Union "
                "européenne, Espace économique européen, Suisse, Royaume-Uni, Monaco…)."
            ),
            code="iban_not_sepa",
        )
    return iban


class BankDetailsForm(forms.Form):
    iban = forms.CharField(
        label=_("IBAN"),
        help_text=_(
            "Tel qu'il figure sur votre RIB, par exemple FR76 3000 6000 0112 3456 7890 189."
        ),
        max_length=42,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(
        label=_("BIC (facultatif)"),
        help_text=_(
            "8 ou 11 caractères. Laissez vide si vous ne le connaissez pas : nous le déduisons "
            "de l'IBAN quand c'est possible."
        ),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    holder_name = forms.CharField(label=_("Titulaire du compte"), max_length=140)
    totp_code = forms.CharField(
        label=_("Code de votre application d'authentification"),
        help_text=_("6 chiffres, affichés par l'application que vous avez associée à ce compte."),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_iban(self) -> str:
        return clean_iban(self.cleaned_data["iban"]).compact

    def clean_bic(self) -> str:
        value = self.cleaned_data["bic"].replace(" ", "").upper()
        if not value:
            return ""
        try:
            return BIC(value).compact
        except schwifty_errors.SchwiftyException as error:
            raise ValidationError(
                _("Ce BIC n'a pas la forme attendue : 8 ou 11 lettres et chiffres."), code="bic"
            ) from error

    def clean(self):
        cleaned = super().clean()
        iban_text, bic = cleaned.get("iban"), cleaned.get("bic")
        if iban_text and "bic" in cleaned:
            iban = IBAN(iban_text)
            if not bic:
                derived = iban.bic
                if derived is None:
                    self.add_error(
                        "bic",
                        ValidationError(
                            _("Nous ne pouvons pas déduire le BIC de cet IBAN : indiquez-le."),
                            code="bic_required",
                        ),
                    )
                else:
                    cleaned["bic"] = derived.compact
            elif BIC(bic).country_code != iban.country_code:
                self.add_error(
                    "bic",
                    ValidationError(
                        _("Ce BIC est celui d'une banque d'un autre pays que celui de l'IBAN."),
                        code="bic_country",
                    ),
                )
        # The second factor is checked last: a valid code is used up once accepted.
        if not self.errors:
            self._check_second_factor(cleaned.get("totp_code", ""))
        return cleaned

    def _check_second_factor(self, code: str) -> None:
        authenticator = Authenticator.objects.filter(
            user=self.user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            self.add_error("totp_code", _("Activez d'abord une application d'authentification."))
            return
        try:
            clear_rate_limit = check_rate_limit(self.user)
        except ValidationError as error:
            self.add_error("totp_code", error)
            return
        if not authenticator.wrap().validate_code(code.strip()):
            self.add_error(
                "totp_code",
                ValidationError(
                    _("Ce code n'est pas le bon, ou il a déjà servi : saisissez le code affiché."),
                    code="totp",
                ),
            )
            return
        clear_rate_limit()
