"""A telephone number to call back, checked by a rule of ours (no phone-number library).

Accepted: a French number written nationally, "0" then 9 digits (metropolitan and overseas
departments alike: 01–09 geographic/mobile/non-geographic), or internationally with the French
prefix "+33"/"0033" then 9 digits (leading national 0 dropped), or with an overseas prefix
(Guadeloupe/Saint-Martin/Saint-Barthélemy +590, Guyane +594, Martinique +596, La Réunion and
Mayotte +262 and +269, Saint-Pierre-et-Miquelon +508, Wallis-et-Futuna +681, Nouvelle-Calédonie
+687, Polynésie française +689) then that territory's 6 to 9 digits. Spaces, dots, dashes and
brackets are ignored. The result is E.164 ("+33612345678") so a counsellor can dial it.
"""

import re

from appointments.rules.errors import InvalidPhoneNumber

# Prefix -> number of digits after it (Pacific territories and Saint-Pierre keep 6 digits,
# Polynésie 8; the overseas departments use the national 9-digit plan).
OVERSEAS_PREFIXES = {
    "590": (9,),
    "594": (9,),
    "596": (9,),
    "262": (9,),
    "269": (9,),
    "508": (6,),
    "681": (6,),
    "687": (6,),
    "689": (8,),
}
# Overseas numbers written nationally ("0590 12 34 56") keep their 9 digits after the
# territory's own country code (ARCEP numbering plan): 0590 12 34 56 is +590 590 12 34 56.
OVERSEAS_AREAS = {
    "590": "590",
    "690": "590",
    "691": "590",
    "594": "594",
    "694": "594",
    "596": "596",
    "696": "596",
    "697": "596",
    "262": "262",
    "263": "262",
    "692": "262",
    "693": "262",
    "269": "262",
    "639": "262",
}
SEPARATORS = re.compile(r"[\s.\-()/]")


def _international(national: str) -> str:
    """E.164 of a 9-digit national significant number (without its leading 0)."""
    return f"+{OVERSEAS_AREAS.get(national[:3], '33')}{national}"


def normalise_phone(text: str) -> str:
    """E.164 form of a French or French-overseas number; InvalidPhoneNumber otherwise."""
    number = SEPARATORS.sub("", text or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"0[1-9]\d{8}", number):
        return _international(number[1:])
    if number.startswith("+33"):
        national = number[3:]
        if national.startswith("0"):
            national = national[1:]
        if re.fullmatch(r"[1-9]\d{8}", national):
            return _international(national)
        raise InvalidPhoneNumber
    for prefix, lengths in OVERSEAS_PREFIXES.items():
        if number.startswith("+" + prefix):
            rest = number[1 + len(prefix) :]
            if rest.startswith("0") and len(rest) - 1 in lengths:
                rest = rest[1:]
            if rest.isdigit() and len(rest) in lengths:
                return f"+{prefix}{rest}"
    raise InvalidPhoneNumber
