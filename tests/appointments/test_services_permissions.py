"""The counter staff group holds exactly the appointments permissions the code lists."""

import importlib

import pytest
from django.contrib.auth.models import Group

from accounts.groups import COUNTER_STAFF
from appointments.permissions import AGENDA_GROUP, COUNTER_STAFF_PERMISSIONS

pytestmark = pytest.mark.django_db


def test_the_migration_grants_the_listed_permissions():
    migration = importlib.import_module("appointments.migrations.0002_counter_staff_permissions")
    assert set(migration.CODENAMES) == set(COUNTER_STAFF_PERMISSIONS)
    assert migration.COUNTER_STAFF == COUNTER_STAFF == AGENDA_GROUP
    group = Group.objects.get(name=COUNTER_STAFF)
    granted = set(
        group.permissions.filter(content_type__app_label="appointments").values_list(
            "codename", flat=True
        )
    )
    assert granted == set(COUNTER_STAFF_PERMISSIONS)
    assert "manage_agenda" in granted
