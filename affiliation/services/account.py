"""Use cases of the insured person's space: linking an account to a file, and the life events
declared from it (médecin traitant, move, bank details, autonomy).

Each function is one transaction; the caller passes the date or time (`on=`, `now=`).
"""

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User
from affiliation.models import (
    ActivationCode,
    AddressChange,
    BankAccount,
    Beneficiary,
    InsuredPerson,
    LinkingLockout,
)
from affiliation.rules import account as rules
from affiliation.services.records import Address, fund_for_postcode
from cpam_portal.mail import send_templated_mail
from cpam_portal.professional_numbers import parse_rpps

# --- Activation codes and linking -----------------------------------------------------------


class LinkingError(Exception):
    """Linking refused; subclasses say why, the view turns them into messages."""


class LinkingRefused(LinkingError):
    """NIR, birth date or code wrong: deliberately one reason for all three (no oracle)."""


class LinkingLocked(LinkingError):
    def __init__(self, locked_until: datetime) -> None:
        super().__init__(locked_until)
        self.locked_until = locked_until


class ActivationCodeExpired(LinkingError):
    """All three matched, but the code is past its date: the person holds it, so saying so
    tells nothing to someone who does not."""


class FileAlreadyLinked(LinkingError):
    """The file is linked to another account."""


class AccountAlreadyLinked(LinkingError):
    """This account is already linked to a file."""


def hash_activation_code(code: str) -> str:
    """Keyed hash of the normalised code: the database alone does not give the code back."""
    normalised = rules.normalise_activation_code(code)
    return salted_hmac("affiliation.activation_code", normalised, algorithm="sha256").hexdigest()


def issue_activation_code(
    person: InsuredPerson, *, issued_by: User | None, now: datetime, language: str | None = None
) -> str:
    """A new code for `person` (replacing any earlier one), sent to their contact e-mail.

    Returns the code in clear: the caller shows it once and never stores it. The e-mail is
    written in `language` when the caller knows the person's (the default: French).
    """
    if person.user_id is not None:
        raise FileAlreadyLinked
    code = rules.new_activation_code()
    expires_at = rules.activation_code_expiry(now)
    with transaction.atomic():
        ActivationCode.objects.update_or_create(
            person=person,
            defaults={
                "code_hash": hash_activation_code(code),
                "issued_at": now,
                "expires_at": expires_at,
                "issued_by": issued_by,
                "used_at": None,
            },
        )
        if person.email:
            context = {
                "first_names": person.first_names,
                "code": code,
                "expires_at": expires_at,
                "link_url": settings.SITE_URL + reverse("affiliation:link_account"),
            }
            transaction.on_commit(
                lambda: send_templated_mail(
                    "affiliation/email/activation_code",
                    context,
                    [person.email],
                    language=language,
                )
            )
    return code


def _lock_end(attempts: rules.LinkingAttempts, now: datetime) -> datetime | None:
    """When linking opens again, if it is locked at `now`; None when it is not locked."""
    return attempts.locked_until if rules.is_linking_locked(attempts, now) else None


def link_account(
    user: User, *, nir: str, birth_date: date, code: str, now: datetime
) -> InsuredPerson:
    """Link `user`'s account to the one file matching NIR, birth date and activation code.

    Each refusal for wrong data counts; the fifth in a row locks linking for this account for an
    hour. The count lives in the database and is committed even though the call fails.
    """
    failure: LinkingError | None = None
    with transaction.atomic():
        lockout, _created = LinkingLockout.objects.select_for_update().get_or_create(user=user)
        attempts = rules.LinkingAttempts(lockout.failures, lockout.locked_until)
        if (locked_until := _lock_end(attempts, now)) is not None:
            raise LinkingLocked(locked_until)
        if InsuredPerson.objects.filter(user=user).exists():
            raise AccountAlreadyLinked
        # One query and one hash whether or not the NIR exists: the time taken tells nothing.
        activation = (
            ActivationCode.objects.select_related("person")
            .select_for_update(of=("self", "person"))
            .filter(person__nir=nir, person__birth_date=birth_date)
            .first()
        )
        typed_hash = hash_activation_code(code)
        if activation is None or not constant_time_compare(activation.code_hash, typed_hash):
            attempts = rules.after_linking_failure(attempts, now)
            lockout.failures = attempts.failures
            lockout.locked_until = attempts.locked_until
            lockout.last_failure_at = now
            lockout.save()
            locked_until = _lock_end(attempts, now)
            failure = LinkingRefused() if locked_until is None else LinkingLocked(locked_until)
        elif (person := activation.person).user_id is not None:
            failure = FileAlreadyLinked()
        elif not rules.is_activation_code_usable(
            expires_at=activation.expires_at, used_at=activation.used_at, now=now
        ):
            failure = ActivationCodeExpired()
        else:
            person.user = user
            try:
                with transaction.atomic():
                    person.save(update_fields=["user", "updated_at"])
            except IntegrityError as error:
                # The OneToOne on the account: another request linked it a moment ago.
                raise AccountAlreadyLinked from error
            activation.used_at = now
            activation.save(update_fields=["used_at"])
            lockout.delete()
    if failure is not None:
        raise failure
    return person


def unlock_linking(lockouts: QuerySet[LinkingLockout]) -> int:
    """Staff lift lockouts (after checking the person's identity on the phone, say)."""
    return lockouts.update(failures=0, locked_until=None)


# --- The file seen from the account ---------------------------------------------------------


def file_entries(holder: InsuredPerson) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.on_file_of(holder)


class LifeEventRefused(ValueError):
    """A declaration the rules do not allow (age, a request already made…)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def declare_attending_doctor(
    entry: Beneficiary, *, rpps: str, name: str, since: date, on: date
) -> InsuredPerson:
    """Record the médecin traitant of the person on this file entry (from 16: service-public.fr
    F10870)."""
    person = entry.person
    if not rules.may_declare_attending_doctor(person.birth_date, on):
        raise LifeEventRefused("too_young")
    number = parse_rpps(rpps)
    with transaction.atomic():
        person = InsuredPerson.objects.select_for_update(of=("self",)).get(pk=person.pk)
        person.attending_doctor_rpps = number
        person.attending_doctor_name = name
        person.attending_doctor_since = since
        person.save(
            update_fields=[
                "attending_doctor_rpps",
                "attending_doctor_name",
                "attending_doctor_since",
                "updated_at",
            ]
        )
    return person


def change_address(
    person: InsuredPerson, address: Address, *, moved_on: date, on: date
) -> AddressChange:
    """New postal address from `moved_on`; the file goes to the fund of the new département.

    Raises NoFundForPostcode (from records) when no fund covers the postcode, and
    LifeEventRefused when the date is in the future or more than a year ago.
    """
    date_error = rules.move_date_error(moved_on, on)
    if date_error is not None:
        raise LifeEventRefused(date_error.value)
    new_fund = fund_for_postcode(address.postcode)
    with transaction.atomic():
        person = InsuredPerson.objects.select_for_update(of=("self",)).get(pk=person.pk)
        change = AddressChange.objects.create(
            person=person,
            moved_on=moved_on,
            old_postcode=person.postcode,
            new_postcode=address.postcode,
            old_fund_id=person.fund_id,
            new_fund=new_fund,
        )
        person.address_line_1 = address.line_1
        person.address_line_2 = address.line_2
        person.postcode = address.postcode
        person.city = address.city
        person.fund = new_fund
        person.save()
    return change


def change_bank_details(
    person: InsuredPerson, *, iban: str, bic: str, holder_name: str, by: User
) -> BankAccount:
    """New bank details, to be checked by staff; the known contacts are told by e-mail.

    `iban` and `bic` are already validated and compact; the second factor was checked by the
    form. The message goes to the file's contact e-mail and the account's e-mail: those the
    fund knew before this change, so that a hijacked session cannot hide it. It never shows the
    IBAN.
    """
    with transaction.atomic():
        person = InsuredPerson.objects.select_for_update(of=("self",)).get(pk=person.pk)
        for previous in BankAccount.objects.filter(person=person).current():
            previous.status = BankAccount.Status.REPLACED
            previous.save(update_fields=["status"])
        account = BankAccount.objects.create(
            person=person, iban=iban, bic=bic, holder_name=holder_name, created_by=by
        )
        recipients = list(dict.fromkeys(e for e in (person.email, by.email) if e))
        context = {
            "first_names": person.first_names,
            "space_url": settings.SITE_URL + reverse("affiliation:my_space"),
        }
        transaction.on_commit(
            lambda: send_templated_mail(
                "affiliation/email/bank_details_changed", context, recipients
            )
        )
    return account


def mark_bank_accounts_reviewed(accounts: QuerySet[BankAccount], *, by: User, now: datetime) -> int:
    return accounts.filter(needs_review=True).update(
        needs_review=False, reviewed_by=by, reviewed_at=now
    )


def request_autonomy(entry: Beneficiary, *, on: date) -> Beneficiary:
    """A dependant of 16 or more asks to become insured in their own right; staff handle it."""
    if entry.relationship == Beneficiary.Relationship.HOLDER:
        raise LifeEventRefused("holder")
    if not rules.may_request_autonomy(entry.person.birth_date, on):
        raise LifeEventRefused("too_young")
    if entry.autonomy_requested_on is not None:
        raise LifeEventRefused("already_requested")
    with transaction.atomic():
        entry = Beneficiary.objects.select_for_update().get(pk=entry.pk)
        entry.autonomy_requested_on = on
        entry.save(update_fields=["autonomy_requested_on"])
    return entry
