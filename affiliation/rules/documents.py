"""Documents the fund issues: attestation de droits, CEAM and its provisional certificate, cards.

Pure rules (no ORM, clock or settings): dates and file facts in, dates and facts out.
Sources (dates read not recorded unless given):
- attestation de droits, its content and a validity of at most one year from issue:
  lecomparateurassurance.com ("Attestation d'Assurance maladie") and direct-assurance.fr,
  secondary pages that agree; how to obtain one: service-public.fr F10662 (vérifié le
  20/07/2023);
- CEAM valid two years: assurances-expat.fr and linternaute.com (07/2025), secondary; its
  provisional replacement certificate valid three months: cleiss.fr, FAQ "Carte européenne
  d'assurance maladie";
- no carte Vitale while the person has only a NIA: ameli.fr/assure/droits-demarches/
  europe-international/protection-sociale-france/ne-etranger-demander-numero-securite-sociale
  (14/04/2025).

Every period is a `cpam_portal.periods.Period`, half-open [valid_from, valid_until):
`valid_until` is the first day on which the document is no longer valid. Documents print the
last valid day (valid_until - 1 day).
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cpam_portal.periods import Period, add_months, add_years

# --- Periods ------------------------------------------------------------------------------------

ATTESTATION_MAX_YEARS = 1  # validity at most one year from issue (sources above)
CEAM_CARD_YEARS = 2
CEAM_PROVISIONAL_MONTHS = 3


class NoOpenRights(ValueError):
    """The person has no rights open on that day: no attestation or certificate can be issued."""


def rights_end(periods: tuple[Period, ...] | list[Period], on: date) -> date | None:
    """End (exclusive) of the continuous rights that include `on`; None when they have no end.

    Periods that touch or overlap are joined: [Jan, Jul) and [Jul, …) make one stretch.
    Raises NoOpenRights when no period contains `on`.
    """
    if not any(period.contains(on) for period in periods):
        raise NoOpenRights(on)
    end = on
    while True:
        extending = [period for period in periods if period.contains(end)]
        if not extending:
            return end
        ends = [period.valid_until for period in extending if period.valid_until is not None]
        if len(ends) < len(extending):  # one of them is open-ended
            return None
        end = max(ends)


def capped(end: date, cap: date | None) -> date:
    return end if cap is None else min(end, cap)


def attestation_validity(issued_on: date, rights_until: date | None) -> Period:
    """At most one year from issue; if the rights end earlier, the attestation ends there."""
    return Period(issued_on, capped(add_years(issued_on, ATTESTATION_MAX_YEARS), rights_until))


def ceam_card_validity(issued_on: date) -> Period:
    """A European Health Insurance Card is valid two years from its issue (sources above)."""
    return Period(issued_on, add_years(issued_on, CEAM_CARD_YEARS))


def provisional_certificate_validity(issued_on: date, rights_until: date | None) -> Period:
    """The provisional replacement certificate: three months, never beyond the rights' end."""
    return Period(issued_on, capped(add_months(issued_on, CEAM_PROVISIONAL_MONTHS), rights_until))


class DocumentState(StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def document_state(period: Period, *, is_revoked: bool, on: date) -> DocumentState:
    if is_revoked:
        return DocumentState.REVOKED
    if on < period.valid_from:
        return DocumentState.NOT_YET_VALID
    return DocumentState.VALID if period.contains(on) else DocumentState.EXPIRED


# --- Verification codes -------------------------------------------------------------------------

# 32 symbols, so 5 bits each: no 0/O, no 1/I (read alike on paper); 16 symbols = 80 bits.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
CODE_GROUP = 4
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.]+")  # spaces and dashes of all kinds, dots


class MalformedCode(ValueError):
    """The text cannot be a verification code (wrong length or a symbol outside the alphabet)."""


def new_verification_code() -> str:
    """A fresh code from the OS's CSPRNG, printed in groups: ABCD-EFGH-JKLM-NPQR."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(symbols)


def format_code(symbols: str) -> str:
    return "-".join(symbols[i : i + CODE_GROUP] for i in range(0, len(symbols), CODE_GROUP))


def normalise_code(text: str) -> str:
    """The 16 symbols of a code as typed: any case, with or without spaces and dashes.

    Raises MalformedCode when what is left is not 16 symbols of the alphabet.
    """
    symbols = _SEPARATORS.sub("", text).upper()
    if len(symbols) != CODE_LENGTH or any(symbol not in CODE_ALPHABET for symbol in symbols):
        raise MalformedCode(text[:40])
    return symbols


def code_digest(symbols: str) -> str:
    """What the database keeps of a code: SHA-256 (hex) of its 16 normalised symbols.

    80 random bits make an offline search of the digest as hopeless as guessing the code.
    """
    return hashlib.sha256(symbols.encode("ascii")).hexdigest()


def spaced_nir(nir: str) -> str:
    """'185017505612324' -> '1 85 01 75 056 123 24', as the carte Vitale prints it."""
    if len(nir) != 15:
        return nir
    return " ".join((nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]))


def holder_initials(first_names: str, last_name: str) -> str:
    """'Camille Anne', 'Martin' -> 'C. M.': what the public verification shows of a holder."""
    first = first_names.strip()[:1].upper()
    last = last_name.strip()[:1].upper()
    return f"{first}. {last}."


# --- Fund codes ---------------------------------------------------------------------------------

GENERAL_SCHEME_CODE = "01"  # régime général
MANAGEMENT_CENTRE = "0001"  # one management centre per fund in this portal
# Corsica and the overseas funds have no two-digit département number to extend with "1".
_CAISSE_CODE_EXCEPTIONS = {"2A": "201", "2B": "202"}


class UnknownDepartment(ValueError):
    """The file has no fund, or its fund's département code is not one."""


@dataclass(frozen=True)
class FundCodes:
    regime: str
    caisse: str
    centre: str

    def __str__(self) -> str:
        return f"{self.regime} {self.caisse} {self.centre}"


def fund_codes(department_code: str) -> FundCodes:
    """Régime, caisse and centre de gestion printed on an attestation. OUR CONVENTION.

    The national table of caisse codes is not public in what we read, so the portal derives
    them deterministically: a metropolitan département "DD" gives caisse "DD1" (Paris 75 ->
    "751", Rhône 69 -> "691"), Corse-du-Sud 2A -> "201", Haute-Corse 2B -> "202", an overseas
    département keeps its three digits ("974"). Régime "01" is the régime général; every fund
    has the single centre de gestion "0001".
    """
    code = department_code.strip().upper()
    if code in _CAISSE_CODE_EXCEPTIONS:
        caisse = _CAISSE_CODE_EXCEPTIONS[code]
    elif len(code) == 3 and code.isdigit():
        caisse = code
    elif len(code) == 2 and code.isdigit():
        caisse = f"{code}1"
    else:
        raise UnknownDepartment(department_code)
    return FundCodes(GENERAL_SCHEME_CODE, caisse, MANAGEMENT_CENTRE)


class Scheme(StrEnum):
    GENERAL = "general"  # 70 % on consultations
    ALSACE_MOSELLE = "alsace_moselle"  # 90 % (SNDS fiche montant_soins_de_ville)


SCHEME_RATE_PERCENT = {Scheme.GENERAL: 70, Scheme.ALSACE_MOSELLE: 90}


# --- What an attestation shows ------------------------------------------------------------------


@dataclass(frozen=True)
class ExemptionFacts:
    ground: str  # Exemption.Ground value: ald, maternity, invalidity, at_mp, css
    period: Period


@dataclass(frozen=True)
class FileMember:
    """One person on the file, as the database holds them."""

    rank: int
    last_name: str
    first_names: str
    birth_date: date
    has_attending_doctor: bool
    coverage: tuple[Period, ...]
    exemptions: tuple[ExemptionFacts, ...] = ()


@dataclass(frozen=True)
class InsuredFile:
    nir: str
    fund_department: str
    is_alsace_moselle: bool
    members: tuple[FileMember, ...]  # rank 01 (the holder) first or not: sorted by the rule


@dataclass(frozen=True)
class BeneficiaryLine:
    rank_label: str  # "01", "02"…
    last_name: str
    first_names: str
    birth_date: date
    has_attending_doctor: bool
    rights_until: date | None  # exclusive end of this person's rights, None if open-ended
    exemptions: tuple[ExemptionFacts, ...]


@dataclass(frozen=True)
class AttestationFacts:
    nir: str
    fund_codes: FundCodes
    scheme: Scheme
    validity: Period
    beneficiaries: tuple[BeneficiaryLine, ...]

    @property
    def rate_percent(self) -> int:
        return SCHEME_RATE_PERCENT[self.scheme]


class NotAFileHolder(ValueError):
    """The person has no rank-01 entry: only the holder of a file gets its attestation."""


def attestation_facts(insured_file: InsuredFile, *, issued_on: date) -> AttestationFacts:
    """The facts an attestation de droits states (sources above), from the file on `issued_on`.

    Validity: from issue, at most one year, cut at the end of the holder's rights. Listed: the
    holder (rank 01) and every beneficiary whose rights are open on the day of issue, with
    their exemptions that overlap the validity. Raises NoOpenRights if the holder has none.
    """
    members = sorted(insured_file.members, key=lambda member: member.rank)
    if not members or members[0].rank != 1:
        raise NotAFileHolder()
    holder_rights_until = rights_end(members[0].coverage, issued_on)
    validity = attestation_validity(issued_on, holder_rights_until)
    lines = []
    for member in members:
        try:
            member_end = rights_end(member.coverage, issued_on)
        except NoOpenRights:
            continue  # a beneficiary whose rights are closed is not on the attestation
        exemptions = tuple(
            exemption
            for exemption in sorted(member.exemptions, key=lambda e: e.period.valid_from)
            if exemption.period.overlaps(validity)
        )
        lines.append(
            BeneficiaryLine(
                rank_label=f"{member.rank:02d}",
                last_name=member.last_name,
                first_names=member.first_names,
                birth_date=member.birth_date,
                has_attending_doctor=member.has_attending_doctor,
                rights_until=member_end,
                exemptions=exemptions,
            )
        )
    return AttestationFacts(
        nir=insured_file.nir,
        fund_codes=fund_codes(insured_file.fund_department),
        scheme=Scheme.ALSACE_MOSELLE if insured_file.is_alsace_moselle else Scheme.GENERAL,
        validity=validity,
        beneficiaries=tuple(lines),
    )


# --- Cards --------------------------------------------------------------------------------------


class CardKind(StrEnum):
    CARTE_VITALE = "carte_vitale"
    CEAM = "ceam"


class CardReason(StrEnum):
    FIRST = "first"
    RENEWAL = "renewal"
    LOST = "lost"
    STOLEN = "stolen"
    DAMAGED = "damaged"


class CardStatus(StrEnum):
    ORDERED = "ordered"
    PRODUCED = "produced"
    SENT = "sent"
    CANCELLED = "cancelled"


OPEN_CARD_STATUSES = frozenset({CardStatus.ORDERED, CardStatus.PRODUCED})
CARD_TRANSITIONS = {
    CardStatus.ORDERED: frozenset({CardStatus.PRODUCED, CardStatus.CANCELLED}),
    CardStatus.PRODUCED: frozenset({CardStatus.SENT, CardStatus.CANCELLED}),
    CardStatus.SENT: frozenset(),
    CardStatus.CANCELLED: frozenset(),
}
# A declaration of loss or theft makes the card in circulation unusable.
INVALIDATING_REASONS = frozenset({CardReason.LOST, CardReason.STOLEN})


class CardRefusal(StrEnum):
    TEMPORARY_NUMBER = "temporary_number"  # no carte Vitale with a NIA (ameli.fr, above)
    NO_OPEN_RIGHTS = "no_open_rights"


class CardNotAllowed(ValueError):
    def __init__(self, reason: CardRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


class BadCardTransition(ValueError):
    pass


def check_card_order(kind: CardKind, *, has_temporary_number: bool, has_open_rights: bool) -> None:
    """Raise CardNotAllowed when the person may not get this card now."""
    if kind == CardKind.CARTE_VITALE and has_temporary_number:
        raise CardNotAllowed(CardRefusal.TEMPORARY_NUMBER)
    if not has_open_rights:
        raise CardNotAllowed(CardRefusal.NO_OPEN_RIGHTS)


def check_card_transition(current: str, target: str) -> None:
    if CardStatus(target) not in CARD_TRANSITIONS[CardStatus(current)]:
        raise BadCardTransition(f"{current} -> {target}")
