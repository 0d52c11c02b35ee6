import datetime

import pytest

from affiliation.demo_account import build_demo_account
from affiliation.models import InsuredPerson
from tests.accounts.factories import UserFactory
from tests.affiliation.factories import paris_fund

pytestmark = pytest.mark.django_db


def test_the_demo_file_is_linked_with_a_family_a_doctor_and_bank_details():
    paris_fund()
    user = UserFactory()
    holder = build_demo_account(user, on=datetime.date(2026, 11, 23))
    assert build_demo_account(user, on=datetime.date(2026, 11, 23)) == holder  # run twice
    assert InsuredPerson.objects.get(user=user) == holder
    assert [e.rank for e in holder.file_entries.all()] == [1, 2, 3, 4]
    assert holder.has_attending_doctor
    assert holder.bank_accounts.get().needs_review is False
