"""Form-side checks that turn the pure rules' reasons into translated messages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from affiliation.rules.nir import (
    IdentityMismatch,
    InvalidNir,
    NirError,
    NumberKind,
    identity_mismatches,
    parse_insured_number,
    parse_nir,
)

NIR_MESSAGES = {
    NirError.LENGTH: _(
        "Le numéro de sécurité sociale compte 15 caractères (13 chiffres et une clé de 2 chiffres)."
    ),
    NirError.CHARACTERS: _(
        "Le numéro de sécurité sociale ne contient que des chiffres (et 2A ou 2B pour la Corse)."
    ),
    NirError.SEX: _("Le premier chiffre du numéro doit être 1 (homme) ou 2 (femme)."),
    NirError.MONTH: _("Le mois de naissance (4e et 5e chiffres) doit être compris entre 01 et 12."),
    NirError.DEPARTMENT: _(
        "Le département de naissance (6e et 7e caractères) n'existe pas : 01 à 95, 2A, 2B, "
        "971 à 976, ou 99 pour une naissance à l'étranger."
    ),
    NirError.COMMUNE: _("Le code de la commune de naissance ne peut pas être 000."),
    NirError.ORDER: _("Le numéro d'ordre de naissance ne peut pas être 000."),
    NirError.KEY: _(
        "La clé (2 derniers chiffres) ne correspond pas au numéro : vérifiez chaque chiffre."
    ),
    NirError.LEGACY_NOT_ALLOWED: _(
        "Les anciens numéros provisoires commençant par 7 ou 8 ne sont plus attribués : "
        "indiquez votre numéro de sécurité sociale définitif ou votre NIA."
    ),
}

MISMATCH_MESSAGES = {
    IdentityMismatch.SEX: _("Le premier chiffre du numéro ne correspond pas au sexe indiqué."),
    IdentityMismatch.BIRTH_YEAR: _(
        "Les 2e et 3e chiffres du numéro ne correspondent pas à l'année de naissance indiquée."
    ),
    IdentityMismatch.BIRTH_MONTH: _(
        "Les 4e et 5e chiffres du numéro ne correspondent pas au mois de naissance indiqué."
    ),
    IdentityMismatch.CORSICA_CODE: _(
        "Le code de la Corse ne correspond pas à la date de naissance : 20 avant 1976, 2A ou "
        "2B depuis."
    ),
}


def clean_nir(value: str) -> str:
    """The normalised NIR or NIA typed by a person; ValidationError naming the reason."""
    try:
        return parse_nir(value).number
    except InvalidNir as error:
        raise ValidationError(NIR_MESSAGES[error.reason], code=f"nir_{error.reason}") from error


def clean_staff_number(value: str) -> tuple[str, NumberKind]:
    """Staff imports may also record a legacy NNP (7/8): the number and its kind."""
    try:
        return parse_insured_number(value, allow_legacy=True)
    except InvalidNir as error:
        raise ValidationError(NIR_MESSAGES[error.reason], code=f"nir_{error.reason}") from error


def check_nir_matches_identity(number: str, *, sex: str, birth_date: date) -> None:
    """ValidationError listing each part of the identity that the NIR contradicts."""
    mismatches = identity_mismatches(parse_nir(number), sex=sex, birth_date=birth_date)
    if mismatches:
        raise ValidationError(
            [ValidationError(MISMATCH_MESSAGES[m], code=f"nir_{m}") for m in mismatches]
        )
