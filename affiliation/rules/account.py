"""Pure rules of the insured person's space: activation codes, linking lockout, the médecin
traitant's age, bank details and moves. Values in, values out: the caller passes the date or
time (`on=`, `now=`)."""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

# --- Activation codes and linking -----------------------------------------------------------

# No 0/O, 1/I/L: a code read from a letter is typed back without confusing characters.
ACTIVATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACTIVATION_CODE_LENGTH = 12  # 31**12 ≈ 2**59: with 5 tries an hour, guessing is hopeless
ACTIVATION_CODE_VALIDITY = timedelta(days=30)
# Five failures lock linking for one hour (docs/reliability.md#linking-lockout).
MAX_LINKING_FAILURES = 5
LINKING_LOCKOUT = timedelta(hours=1)


def new_activation_code() -> str:
    """A fresh random code, grouped by four for reading (XXXX-XXXX-XXXX)."""
    raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, ACTIVATION_CODE_LENGTH, 4))


def normalise_activation_code(text: str) -> str:
    """What the person typed, without spaces or dashes, upper case ("abcd-efgh" -> "ABCDEFGH")."""
    return re.sub(r"[\s\-.]", "", text).upper()


def activation_code_expiry(issued_at: datetime) -> datetime:
    return issued_at + ACTIVATION_CODE_VALIDITY


def is_activation_code_usable(
    *, expires_at: datetime, used_at: datetime | None, now: datetime
) -> bool:
    return used_at is None and now < expires_at


@dataclass(frozen=True)
class LinkingAttempts:
    """Consecutive failed linking attempts of one account, and the end of its lockout."""

    failures: int
    locked_until: datetime | None


def is_linking_locked(attempts: LinkingAttempts, now: datetime) -> bool:
    return attempts.locked_until is not None and now < attempts.locked_until


def after_linking_failure(attempts: LinkingAttempts, now: datetime) -> LinkingAttempts:
    """One more failure; the fifth in a row locks linking for an hour and starts a new count."""
    failures = attempts.failures + 1
    if failures >= MAX_LINKING_FAILURES:
        return LinkingAttempts(failures=0, locked_until=now + LINKING_LOCKOUT)
    return LinkingAttempts(failures=failures, locked_until=attempts.locked_until)


# --- Personal numbers shown on screen -------------------------------------------------------

MASK = "•"


def masked_nir(nir: str) -> str:
    """A NIR grouped as on a card, birth place hidden: "2 85 01 •• ••• 002 34".

    Sex, birth year and month stay (the person's own, non-identifying facts), département and
    commune are hidden, then the order number and the key: the person recognises their number,
    someone reading over their shoulder cannot copy it.
    """
    if len(nir) != 15:
        return MASK * len(nir)
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {MASK * 2} {MASK * 3} {nir[10:13]} {nir[13:15]}"


def masked_iban(iban: str) -> str:
    """ "FR7630006000011234567890189" -> "FR76 •••• •••• 0189": country, key and last 4."""
    if len(iban) < 8:
        return MASK * len(iban)
    return f"{iban[:4]} {MASK * 4} {MASK * 4} {iban[-4:]}"


# --- Médecin traitant -----------------------------------------------------------------------

# The médecin traitant's RPPS number is read by cpam_portal.professional_numbers.parse_rpps.
# The médecin traitant is declared from 16 (service-public.fr F10870, copy of 2014; form
# S3704). A beneficiary under 16 may have one too since 2005 (a paediatrician or GP for a
# child), but then the parents declare it with the doctor: here only persons aged 16 or more
# are offered the declaration.
ATTENDING_DOCTOR_MIN_AGE = 16
AUTONOMY_MIN_AGE = 16


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on` (a person born 29 February turns a year older on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def may_declare_attending_doctor(birth_date: date, on: date) -> bool:
    return age_on(birth_date, on) >= ATTENDING_DOCTOR_MIN_AGE


def may_request_autonomy(birth_date: date, on: date) -> bool:
    return age_on(birth_date, on) >= AUTONOMY_MIN_AGE


# --- Moves ----------------------------------------------------------------------------------

# A move is declared once it happened, and within a year: older moves go through an agent, who
# may need proof of the former address for the dates in between.
MOVE_DECLARATION_WINDOW = timedelta(days=365)


class MoveDateError(StrEnum):
    FUTURE = "future"
    TOO_OLD = "too_old"


def move_date_error(moved_on: date, on: date) -> MoveDateError | None:
    if moved_on > on:
        return MoveDateError.FUTURE
    if moved_on < on - MOVE_DECLARATION_WINDOW:
        return MoveDateError.TOO_OLD
    return None
