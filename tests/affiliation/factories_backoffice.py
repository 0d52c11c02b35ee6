"""Staff of the back office, logged in with their second factor, and CSS applications."""

import datetime
from decimal import Decimal

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from accounts.groups import COUNTER_STAFF
from affiliation.models import CSSApplication, CSSApplicationMember
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import DependantFactory, InsuredPersonFactory


def counter_staff(**kwargs):
    """A member of "Agents d'accueil" with TOTP set up (the admin requires a second factor)."""
    staff = StaffFactory(**kwargs)
    staff.groups.add(Group.objects.get(name=COUNTER_STAFF))
    TOTP.activate(staff, generate_totp_secret())
    return staff


def staff_without_group(**kwargs):
    staff = StaffFactory(**kwargs)
    TOTP.activate(staff, generate_totp_secret())
    return staff


def linked_holder(**kwargs):
    """An insured file holder whose account is linked to the file."""
    return InsuredPersonFactory(user=UserFactory(), **kwargs)


class CSSApplicationFactory(factory.django.DjangoModelFactory):
    """An open application of a one-person household, free of participation."""

    class Meta:
        model = CSSApplication
        skip_postgeneration_save = True

    holder = factory.SubFactory(InsuredPersonFactory)
    submitted_by = factory.LazyAttribute(lambda a: a.holder.user or UserFactory())
    submitted_on = datetime.date(2025, 6, 15)
    annual_resources = Decimal("9000.00")
    household_size = 1
    outcome = "free"
    monthly_participation = Decimal("0.00")

    @factory.post_generation
    def members(application, create, extracted, **kwargs):
        if create:
            CSSApplicationMember.objects.create(
                application=application,
                person=application.holder,
                rank=1,
                age_on_first_january=40,
                monthly_participation=Decimal("0.00"),
            )


def dependant(**kwargs):
    """A person with no file of their own."""
    return DependantFactory(**kwargs)
