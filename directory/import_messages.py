"""What an import says about a file and its lines: codes with parameters, and their text.

Codes and parameters are JSON-able and stored in the import's report; `describe()` gives the
text in the active language at reading time, so a French and an English reader of the same
report each read it in their own language. French is the source language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

FIELD_LABELS = {
    "department_code": _("code du département"),
    "address_line_1": _("adresse (ligne 1)"),
    "address_line_2": _("adresse (ligne 2)"),
    "address_line_3": _("adresse (ligne 3)"),
    "postcode": _("code postal"),
    "city": _("ville"),
    "phone": _("téléphone"),
    "phone_note": _("tarif de l'appel"),
}


class Outcome(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


OUTCOME_LABELS = {
    Outcome.CREATED: _("créé"),
    Outcome.CHANGED: _("modifié"),
    Outcome.UNCHANGED: _("inchangé"),
    Outcome.REJECTED: _("refusé"),
}

MESSAGES = {
    # The file as a whole.
    "not_text": _(
        "Le fichier n'est pas un fichier texte : enregistrez-le au format « CSV UTF-8 »."
    ),
    "empty": _("Le fichier est vide : sa première ligne doit donner les noms des colonnes."),
    "no_rows": _("Le fichier ne contient aucun accueil après la ligne des noms de colonnes."),
    "malformed": _(
        "Le fichier n'est pas un CSV valide à partir de cette ligne (guillemet mal fermé ?)."
    ),
    "missing_columns": _("Colonnes manquantes : %(columns)s. Colonnes attendues : %(expected)s."),
    "unknown_columns": _("Colonnes inconnues : %(columns)s. Colonnes attendues : %(expected)s."),
    "duplicate_columns": _("Colonnes en double : %(columns)s."),
    # One line.
    "field_count": _(
        "La ligne a %(found)s champs au lieu de %(expected)s : un champ qui contient "
        "« %(delimiter)s » doit être entre guillemets."
    ),
    "required": _("%(field)s : champ obligatoire."),
    "too_long": _("%(field)s : %(length)s caractères, %(max)s au plus."),
    "postcode_format": _(
        "Code postal « %(value)s » : il faut 5 chiffres (un tableur a pu ôter le zéro initial)."
    ),
    "postcode_unknown": _("Code postal « %(value)s » : aucun département ne lui correspond."),
    "department_unknown": _("Département « %(value)s » : aucune caisse de l'annuaire n'a ce code."),
    "department_mismatch": _(
        "Le code postal %(postcode)s est dans le département %(postcode_department)s, "
        "pas dans le %(department)s."
    ),
    "phone_invalid": _(
        "Téléphone « %(value)s » : attendu un numéro français en chiffres et espaces, "
        "comme « 04 74 45 84 84 », « 0 820 904 191 » ou « 36 46 »."
    ),
    "duplicate_in_file": ngettext_lazy(
        "Accueil en double : même code postal et même ville qu'à la ligne %(lines)s.",
        "Accueil en double : même code postal et même ville qu'aux lignes %(lines)s.",
        "count",
    ),
    "city_spelling": _(
        "L'annuaire a déjà l'accueil « %(postcode)s %(existing_city)s » : écrivez la ville "
        "exactement ainsi pour le modifier."
    ),
    # What applying the line does.
    "created": _("Accueil ajouté à l'annuaire."),
    "changed": _("Modifié : %(changes)s."),
    "unchanged": _("Déjà à jour."),
}
CHANGE = _("%(field)s « %(old)s » → « %(new)s »")


@dataclass(frozen=True)
class Message:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


def describe(message: Message) -> str:
    """The message as text in the active language."""
    params: dict[str, Any] = {}
    for name, value in message.params.items():
        if name == "field":
            params[name] = FIELD_LABELS[value]
        elif name == "changes":
            params[name] = " ; ".join(
                CHANGE % {"field": FIELD_LABELS[changed], "old": old, "new": new}
                for changed, old, new in value
            )
        elif isinstance(value, list):
            params[name] = ", ".join(str(item) for item in value)
        else:
            params[name] = value
    if "lines" in message.params:
        params["count"] = len(message.params["lines"])  # chooses the plural form
    return MESSAGES[message.code] % params
