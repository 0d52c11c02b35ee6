"""The published list of reasons a care sheet is refused or rejected.

The codes are stable: an insured person, a staff member or a mutuelle may quote one, so a
code is never renumbered nor reused for another meaning; a new reason takes a new code. The
page "Motifs de rejet" lists them with these labels, in the reader's language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RejectionCode(models.TextChoices):
    NOT_COVERED = "R01", _("Le bénéficiaire n'avait pas de droits ouverts à la date des soins.")
    UNKNOWN_ACT = (
        "R02",
        _(
            "Un code d'acte n'existe pas à la date des soins et la ligne ne porte pas de base de "
            "remboursement."
        ),
    )
    DUPLICATE = (
        "R03",
        _("Cette feuille de soins a déjà été reçue : elle ne sera pas payée deux fois."),
    )
    FUTURE_DATE = "R04", _("La date des soins est dans le futur.")
    ABSURD_AMOUNT = "R05", _("Un montant est négatif ou hors des limites possibles.")
    NOT_ON_FILE = "R06", _("Le bénéficiaire n'est pas rattaché au dossier de l'assuré.")
    TOO_OLD = (
        "R07",
        _("Les soins datent de plus de deux ans : le délai de prescription est dépassé."),
    )
    INVALID_PROFESSIONAL = "R08", _("Le numéro RPPS ou ADELI du professionnel n'est pas valide.")
    INCONSISTENT_LINES = (
        "R09",
        _(
            "Les lignes d'actes sont incohérentes (quantité, dates d'hospitalisation, acte non "
            "remboursable par ce professionnel)."
        ),
    )
    RULES_UNAVAILABLE = (
        "R10",
        _(
            "Les règles de remboursement de la date des soins ne sont pas connues du portail : un "
            "agent reprendra la feuille."
        ),
    )


def rejection_codes() -> list[tuple[str, str]]:
    """(code, label) pairs in code order: what the public page and the API list."""
    return [(code.value, str(code.label)) for code in RejectionCode]
