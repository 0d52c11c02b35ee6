"""The staff groups get exactly the mutuelle permissions listed in the code, including those
that came with the models moved here from affiliation and reimbursements."""

import pytest
from django.contrib.auth.models import Group

from accounts.groups import COUNTER_STAFF, REIMBURSEMENT_STAFF
from mutuelles.permissions import (
    CLIENT_MANAGER_PERMISSIONS,
    COUNTER_STAFF_PERMISSIONS,
    REIMBURSEMENT_STAFF_PERMISSIONS,
)

pytestmark = pytest.mark.django_db


def granted(group_name: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label__in=("mutuelles", "oauth2_provider"))
        .values_list("content_type__app_label", "codename")
    }


def test_the_migration_grants_the_listed_permissions_and_nothing_to_delete():
    assert granted(REIMBURSEMENT_STAFF) == set(REIMBURSEMENT_STAFF_PERMISSIONS)
    assert not any(".delete_" in permission for permission in REIMBURSEMENT_STAFF_PERMISSIONS)


def test_counter_staff_keep_the_mutuelles_and_contracts_but_not_the_api_access():
    assert granted(COUNTER_STAFF) == set(COUNTER_STAFF_PERMISSIONS)
    assert not granted(COUNTER_STAFF) & set(CLIENT_MANAGER_PERMISSIONS)
