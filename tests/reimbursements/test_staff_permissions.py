"""The staff groups get exactly the reimbursement permissions listed in the code."""

import pytest
from django.contrib.auth.models import Group

from accounts.groups import COUNTER_STAFF, REIMBURSEMENT_STAFF
from reimbursements.permissions import COUNTER_STAFF_PERMISSIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group_name", [COUNTER_STAFF, REIMBURSEMENT_STAFF])
def test_the_migration_grants_the_listed_permissions(group_name):
    granted = set(
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label="reimbursements")
        .values_list("codename", flat=True)
    )
    assert granted == set(COUNTER_STAFF_PERMISSIONS)
    assert not any(codename.startswith(("change_", "delete_")) for codename in granted)
