"""Numbers that identify a health professional: RPPS (and its idNatPS form) and ADELI. Pure.

Read by the médecin traitant declaration (affiliation), the prescriber of a sick note
(allowances) and the professional of a care sheet (reimbursements): one parser for each number.
"""

import re

from stdnum import luhn

# The RPPS number has 11 digits, the last one a Luhn key (ANS, esante.gouv.fr FAQ "Quelle est
# la différence entre les identifiants RPPS, AM et FINESS": "11 caractères numériques (le
# dernier étant la clé de Luhn) non significatifs"). The national identifier idNatPS is "8"
# followed by the RPPS number; a person may copy it from an invoice, so it is accepted too.
RPPS_SHAPE = re.compile(r"^8?[0-9]{11}$")
# ADELI numbers (auxiliaries, some pharmacists…) have 9 digits. Their last digit is a key whose
# algorithm we could not confirm from a public source: only the shape is checked.
ADELI_SHAPE = re.compile(r"^[0-9]{9}$")
# What a person may type between the digits copied from a care sheet.
SEPARATORS = re.compile(r"[\s.-]")


class InvalidProfessionalNumber(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "shape" or "key"


class InvalidRpps(InvalidProfessionalNumber):
    """Not an RPPS number: not 11 digits ("shape") or a wrong Luhn key ("key")."""


def parse_rpps(text: str) -> str:
    """The 11-digit RPPS number in `text` (spaces allowed, idNatPS "8…" accepted)."""
    compact = re.sub(r"\s", "", text)
    if not RPPS_SHAPE.match(compact):
        raise InvalidRpps("shape")
    number = compact[-11:]
    if set(number) == {"0"} or not luhn.is_valid(number):
        raise InvalidRpps("key")
    return number


def parse_professional_number(text: str) -> str:
    """The RPPS or ADELI number printed on a care sheet, as copied (spaces, dots, dashes).

    Raises InvalidProfessionalNumber: "key" for an RPPS number with a wrong key, "shape" for
    anything else (neither 11 nor 9 digits, or nine zeros).
    """
    compact = SEPARATORS.sub("", text or "")
    if ADELI_SHAPE.match(compact):
        if set(compact) == {"0"}:
            raise InvalidProfessionalNumber("shape")
        return compact
    try:
        return parse_rpps(compact)
    except InvalidRpps as error:
        if error.reason == "key":
            raise
    raise InvalidProfessionalNumber("shape")
