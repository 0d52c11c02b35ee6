"""Pure rules of the funds directory: postcodes, département codes, text matching. No ORM here."""

import re
import unicodedata


class UnknownPostcode(ValueError):
    """The text is not a French postcode, or no département of the directory has it."""


POSTCODE_PATTERN = re.compile(r"^\d{5}$")
METROPOLITAN_CODES = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
)  # 01…95 with Corsica split into 2A and 2B since 1976
# Codes of the overseas départements and collectivities (INSEE), as a person may type them.
OVERSEAS_CODES = frozenset(["971", "972", "973", "974", "975", "976", "977", "978"])
POSTCODE_OVERSEAS_HEADS = frozenset(["971", "972", "973", "974", "975", "976"])


def department_for_postcode(postcode: str) -> str:
    """The département code ("01", "2A", "974"…) of a five-digit French postcode.

    Corsica: postcodes 200xx and 201xx are in Corse-du-Sud (2A), 202xx to 206xx in Haute-Corse
    (2B); the CEDEX codes of Ajaccio start with 207 (the seed lists "20702 AJACCIO CEDEX 9").
    Overseas: the first three digits are the département (971 Guadeloupe … 974 La Réunion,
    976 Mayotte) or Saint-Pierre-et-Miquelon (975); Saint-Barthélemy and Saint-Martin use
    Guadeloupe's 971xx. CEDEX codes 977xx belong to La Réunion (the seed lists "97704 SAINT
    DENIS MESSAG CEDEX 9" for the CGSS). Raises UnknownPostcode for anything else.
    """
    postcode = postcode.strip()
    if not POSTCODE_PATTERN.match(postcode):
        raise UnknownPostcode(postcode)
    head2, head3 = postcode[:2], postcode[:3]
    if head2 == "20":
        if head3 in {"200", "201", "207"}:
            return "2A"
        if head3 in {"202", "203", "204", "205", "206"}:
            return "2B"
        raise UnknownPostcode(postcode)
    if head2 == "97":
        if head3 == "977":
            return "974"
        if head3 in POSTCODE_OVERSEAS_HEADS:
            return head3
        raise UnknownPostcode(postcode)
    if head2 in METROPOLITAN_CODES:
        return head2
    raise UnknownPostcode(postcode)


def normalise_department_code(text: str) -> str | None:
    """ "1" -> "01", "2a" -> "2A", "974" -> "974"; None when the text is no département code."""
    code = text.strip().upper()
    if code.isdigit() and len(code) == 1:
        code = f"0{code}"
    if code in METROPOLITAN_CODES or code in OVERSEAS_CODES:
        return code
    return None


def department_sort_key(code: str) -> str:
    """Order of the usual lists: 01…19, 2A, 2B, 21…95, then 971…"""
    if code in {"2A", "2B"}:
        return f"20.{code[1]}"
    return code.zfill(3) if len(code) == 3 else f"{code}.0"


def normalise_text(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: how people type place names."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    spaced = re.sub(r"[-'’()\s]+", " ", ascii_only.lower())
    return spaced.strip()


def fund_name(kind: str, charniere: str, department_name: str) -> str:
    """The fund's usual name: "CPAM de l'Ain", "CPAM du Rhône", "CGSS de La Réunion".

    The charnière is INSEE's article for the département (Code officiel géographique); after an
    elided one ("de l'", "d'") the name follows without a space. A name that carries its own
    article ("La Réunion" with the charnière "de La") gets that article once.
    """
    if charniere.endswith(("'", "’")):
        return f"{kind} {charniere}{department_name}"
    head, _, article = charniere.rpartition(" ")
    if head and department_name.startswith(f"{article} "):
        charniere = head
    return f"{kind} {charniere} {department_name}"


def phone_digits(phone: str) -> str:
    """ "0 820 904 191" -> "0820904191": the number a tel: link dials, whatever the spacing.

    A leading "+" (international form) is kept; every other non-digit is dropped.
    """
    prefix = "+" if phone.strip().startswith("+") else ""
    return prefix + "".join(c for c in phone if c.isdigit())
