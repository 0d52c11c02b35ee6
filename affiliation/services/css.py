"""Complémentaire santé solidaire: simulating, applying, and staff decisions."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from affiliation.models import (
    Beneficiary,
    CSSApplication,
    CSSApplicationMember,
    Exemption,
    InsuredPerson,
)
from affiliation.rules.css import CSSResult, Territory, assess, ceilings_for
from affiliation.services import css_tables
from cpam_portal.mail import send_templated_mail
from cpam_portal.periods import add_months

# The CSS is granted for twelve months and renewed only on a new application (ameli.fr,
# "Renouvellement de la Complémentaire santé solidaire"; boursorama.com, 15/12/2025).
GRANT_MONTHS = 12
OVERSEAS_POSTCODE_PREFIX = "97"


class ApplicationAlreadyOpen(Exception):
    """The file already has an application waiting for a decision."""


class ApplicationNotOpen(Exception):
    """The application was already decided (by someone else, or by an earlier click)."""


def simulate(
    *,
    birth_dates: Sequence[datetime.date],
    annual_resources: Decimal,
    territory: str,
    on: datetime.date,
) -> CSSResult:
    return assess(
        birth_dates=birth_dates,
        annual_resources=annual_resources,
        on=on,
        territory=territory,
        ceiling_rows=css_tables.ceiling_rows(),
        participation_bands=css_tables.participation_bands(),
    )


def territory_of(holder: InsuredPerson) -> str:
    """Overseas when the file's address is in a DOM (postcodes 97x): not covered by the tables."""
    if holder.postcode.startswith(OVERSEAS_POSTCODE_PREFIX):
        return Territory.OVERSEAS.value
    return Territory.METROPOLE.value


def file_entries(holder: InsuredPerson) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.on_file_of(holder)


def submit_application(
    *,
    holder: InsuredPerson,
    entries: Sequence[Beneficiary],
    annual_resources: Decimal,
    user: User,
    language: str,
    on: datetime.date,
) -> CSSApplication:
    """Record the household and the computed outcome; one open application per file.

    `entries` are rows of the holder's own file (the form only offers those). Raises
    ApplicationAlreadyOpen, or the rules' CSSInputError/NotCovered.
    """
    result = simulate(
        birth_dates=[entry.person.birth_date for entry in entries],
        annual_resources=annual_resources,
        territory=territory_of(holder),
        on=on,
    )
    try:
        application = _create_application(holder, entries, result, user=user, language=language)
    except IntegrityError as error:
        raise ApplicationAlreadyOpen from error
    transaction.on_commit(lambda: notify(application, "submitted"))
    return application


def grant_application(
    application_id: int, *, decided_by: User, on: datetime.date
) -> CSSApplication:
    """Grant for 12 months from `on`: a CSS exemption on each covered person, all or nothing."""
    with transaction.atomic():
        application = _lock_open(application_id)
        application.status = CSSApplication.Status.GRANTED
        application.decided_by = decided_by
        application.decided_at = timezone.now()
        application.valid_from = on
        application.valid_until = add_months(on, GRANT_MONTHS)
        application.save()
        members = application.members.select_related("person")
        Exemption.objects.bulk_create(
            Exemption(
                person=member.person,
                ground=Exemption.Ground.CSS,
                valid_from=application.valid_from,
                valid_until=application.valid_until,
                note=exemption_note(application, member),
            )
            for member in members
        )
    transaction.on_commit(lambda: notify(application, "decided"))
    return application


def refuse_application(application_id: int, *, decided_by: User, reason: str) -> CSSApplication:
    with transaction.atomic():
        application = _lock_open(application_id)
        application.status = CSSApplication.Status.REFUSED
        application.decided_by = decided_by
        application.decided_at = timezone.now()
        application.refusal_reason = reason.strip()
        application.save()
    transaction.on_commit(lambda: notify(application, "decided"))
    return application


def exemption_note(application: CSSApplication, member: CSSApplicationMember) -> str:
    # Stored data, not a user-facing sentence: the note keeps the amount with the exemption.
    if application.monthly_participation:
        return (
            f"CSS demande n° {application.pk} : participation {member.monthly_participation} "
            f"€/mois (total foyer {application.monthly_participation} €/mois)"
        )
    return f"CSS demande n° {application.pk} : sans participation"


def _lock_open(application_id: int) -> CSSApplication:
    application = CSSApplication.objects.select_for_update(of=("self",)).get(pk=application_id)
    if not application.is_open:
        raise ApplicationNotOpen(application_id)
    return application


def notify(application: CSSApplication, event: str) -> None:
    """Tell the applicant something changed; the mail holds no amounts or health data."""
    holder = application.holder
    account = holder.user
    address = account.email if account is not None else holder.email
    if not address:
        return
    send_templated_mail(
        f"affiliation/email/css_{event}",
        {"url": settings.SITE_URL + reverse("affiliation:css_application")},
        [address],
        language=application.language,
    )


def _create_application(
    holder: InsuredPerson,
    entries: Sequence[Beneficiary],
    result: CSSResult,
    *,
    user: User,
    language: str,
) -> CSSApplication:
    with transaction.atomic():
        application = CSSApplication.objects.create(
            holder=holder,
            submitted_by=user,
            submitted_on=result.on,
            language=language,
            annual_resources=result.annual_resources,
            household_size=result.household_size,
            outcome=result.outcome.value,
            monthly_participation=result.monthly_participation,
        )
        CSSApplicationMember.objects.bulk_create(
            CSSApplicationMember(
                application=application,
                person=entry.person,
                rank=entry.rank,
                age_on_first_january=member.age_on_first_january,
                monthly_participation=(
                    member.monthly_amount if result.monthly_participation else Decimal("0")
                ),
            )
            for entry, member in zip(entries, result.members, strict=True)
        )
    return application


def build_demo_css(holder: InsuredPerson, *, on: datetime.date) -> CSSApplication:
    """Demo data (`make run`): a pending application of `holder` (linked to an account) for
    everyone on their file, with resources halfway between the two ceilings (so with a
    participation). Run twice, it changes nothing; no mail is sent."""
    existing = CSSApplication.objects.for_holder(holder).open().first()
    if existing is not None:
        return existing
    entries = list(file_entries(holder))
    territory = territory_of(holder)
    ceilings = ceilings_for(
        css_tables.ceiling_rows(), territory=territory, household_size=len(entries), on=on
    )
    result = simulate(
        birth_dates=[entry.person.birth_date for entry in entries],
        annual_resources=((ceilings.free + ceilings.participation) / 2).quantize(Decimal(1)),
        territory=territory,
        on=on,
    )
    account = holder.user
    if account is None:  # an application is filed from an account (CSSApplication.submitted_by)
        raise ValueError("the demo holder has no account to file the application from")
    return _create_application(holder, entries, result, user=account, language="fr")
