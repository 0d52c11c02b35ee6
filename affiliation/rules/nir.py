"""The NIR (numéro de sécurité sociale), the NIA (temporary number, same shape) and the legacy
NNP (provisional numbers starting with 7 or 8).

Sources: service-public.fr F33078; the Assurance Maladie's own validator
(github.com/assurance-maladie-digital/nir-validation: NirKey.php, NirValidator.php,
NnpValidator.php); DSS leaflet "Les règles d'identification et d'immatriculation".
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class NirError(StrEnum):
    """Why a number is not a valid NIR: one code per reason, translated by the caller."""

    LENGTH = "length"
    CHARACTERS = "characters"
    SEX = "sex"
    MONTH = "month"
    DEPARTMENT = "department"
    COMMUNE = "commune"
    ORDER = "order"
    KEY = "key"
    LEGACY_NOT_ALLOWED = "legacy_not_allowed"


class InvalidNir(ValueError):
    def __init__(self, reason: NirError):
        super().__init__(reason.value)
        self.reason = reason


class IdentityMismatch(StrEnum):
    """Which part of the person's declared identity the NIR contradicts."""

    SEX = "sex"
    BIRTH_YEAR = "birth_year"
    BIRTH_MONTH = "birth_month"
    CORSICA_CODE = "corsica_code"


class NumberKind(StrEnum):
    NIR = "nir"
    NIA = "nia"
    LEGACY_NNP = "nnp"


# Corsica's letters are replaced by digits before the key is computed (CNAM NirKey.php), and
# only in the département field: a global replace would be wrong for a NIR that had "2A" elsewhere.
CORSICA_KEY_DIGITS = {"2A": "19", "2B": "18"}
OVERSEAS_DEPARTMENTS = frozenset(["971", "972", "973", "974", "975", "976"])
# 96 was never a metropolitan département: it is Tunisia before independence (91–94 Algeria and
# 95 Morocco overlap metropolitan codes and are accepted as such).
NUMERIC_DEPARTMENTS = frozenset(f"{n:02d}" for n in range(1, 97))
BORN_ABROAD = "99"
# Corsica was "20" until 1975; the letters are used for births from 1976-01-01 (DSS leaflet).
CORSICA_LETTERS_FROM_YEAR = 1976

SEPARATORS = re.compile(r"[\s.\-_/]")
NIR_SHAPE = re.compile(r"^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$")
NNP_SHAPE = re.compile(r"^[78][12][0-9]{11}$")


@dataclass(frozen=True)
class Nir:
    """A NIR (or NIA) whose structure and key have been checked."""

    number: str  # 15 characters, upper case, no spaces

    @property
    def sex_digit(self) -> str:
        return self.number[0]

    @property
    def birth_year_2(self) -> int:
        return int(self.number[1:3])

    @property
    def birth_month(self) -> int:
        return int(self.number[3:5])

    @property
    def department(self) -> str:
        """'75', '2A', '971', or '99' for a person born abroad."""
        head = self.number[5:7]
        return self.number[5:8] if head == "97" else head

    @property
    def is_born_abroad(self) -> bool:
        return self.department == BORN_ABROAD

    @property
    def key(self) -> str:
        return self.number[13:]


def normalise_number(text: str) -> str:
    """Spaces, dots and dashes removed, letters upper-cased: '2 84 05 2a…' -> '284052A…'."""
    return SEPARATORS.sub("", text or "").upper()


def control_key(first_13: str) -> int:
    """97 - (N mod 97) with Corsica's substitution in the département field (positions 6-7)."""
    department = first_13[5:7]
    digits = first_13[:5] + CORSICA_KEY_DIGITS.get(department, department) + first_13[7:]
    return 97 - int(digits) % 97


def parse_nir(text: str) -> Nir:
    """The checked NIR/NIA, or InvalidNir naming the first reason it is not one."""
    number = normalise_number(text)
    if len(number) != 15:
        raise InvalidNir(NirError.LENGTH)
    if not NIR_SHAPE.match(number):
        raise InvalidNir(NirError.CHARACTERS)
    if number[0] not in "12":
        raise InvalidNir(NirError.SEX)
    if not 1 <= int(number[3:5]) <= 12:
        raise InvalidNir(NirError.MONTH)
    head = number[5:7]
    if head == "97":
        if number[5:8] not in OVERSEAS_DEPARTMENTS:
            raise InvalidNir(NirError.DEPARTMENT)
        commune = number[8:10]
    elif head in NUMERIC_DEPARTMENTS or head in CORSICA_KEY_DIGITS or head == BORN_ABROAD:
        # "20" (Corsica before 1976) is a numeric code: the identity check decides on the year.
        commune = number[7:10]
    else:
        raise InvalidNir(NirError.DEPARTMENT)
    if int(commune) == 0:
        raise InvalidNir(NirError.COMMUNE)
    if int(number[10:13]) == 0:
        raise InvalidNir(NirError.ORDER)
    if int(number[13:]) != control_key(number[:13]):
        raise InvalidNir(NirError.KEY)
    return Nir(number)


def is_legacy_nnp(text: str) -> bool:
    """A legacy provisional number (NNP): 7 (man) or 8 (woman), 1 or 2, a fund, a sequence.

    NNPs have no key and officially disappeared on 2022-12-31 (CNAM NnpValidator.php):
    only staff importing old files may record one.
    """
    return bool(NNP_SHAPE.match(normalise_number(text)))


def parse_insured_number(text: str, *, allow_legacy: bool = False) -> tuple[str, NumberKind]:
    """A NIR (or NIA) for anyone; a legacy NNP only when `allow_legacy` (staff imports)."""
    number = normalise_number(text)
    if number[:1] in ("7", "8") and is_legacy_nnp(number):
        if not allow_legacy:
            raise InvalidNir(NirError.LEGACY_NOT_ALLOWED)
        return number, NumberKind.LEGACY_NNP
    return parse_nir(number).number, NumberKind.NIR


def identity_mismatches(nir: Nir, *, sex: str, birth_date: date) -> list[IdentityMismatch]:
    """What the NIR contradicts in the declared identity (sex '1'/'2', date of birth).

    The century is not encoded, so only the last two digits of the year are compared. A NIR
    with Corsica as "20" belongs to someone born before 1976, one with 2A/2B to someone born
    from 1976 on.
    """
    mismatches = []
    if nir.sex_digit != sex:
        mismatches.append(IdentityMismatch.SEX)
    if nir.birth_year_2 != birth_date.year % 100:
        mismatches.append(IdentityMismatch.BIRTH_YEAR)
    if nir.birth_month != birth_date.month:
        mismatches.append(IdentityMismatch.BIRTH_MONTH)
    born_before_letters = birth_date.year < CORSICA_LETTERS_FROM_YEAR
    if (nir.department == "20" and not born_before_letters) or (
        nir.department in CORSICA_KEY_DIGITS and born_before_letters
    ):
        mismatches.append(IdentityMismatch.CORSICA_CODE)
    return mismatches


def temporary_number(*, sex: str, birth_date: date, country_code: str, order: int) -> str:
    """A NIA for a person born abroad: sex, year, month, 99, INSEE country code, order, key.

    The NIA is "built like a NIR" (net-entreprises; CNAM README) and becomes the NIR once
    SANDIA has certified the identity. `country_code` is the 3-digit INSEE code of the country
    of birth (the part after 99: Italy is 99127 -> "127"); `order` runs from 1 to 999.
    """
    if sex not in ("1", "2") or not re.fullmatch(r"[0-9]{3}", country_code):
        raise ValueError("sex must be '1' or '2' and country_code three digits")
    if not 1 <= order <= 999:
        raise ValueError("order must be between 1 and 999")
    first_13 = f"{sex}{birth_date.year % 100:02d}{birth_date.month:02d}99{country_code}{order:03d}"
    return f"{first_13}{control_key(first_13):02d}"
