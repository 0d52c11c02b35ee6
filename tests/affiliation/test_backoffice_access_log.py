"""The access log in the admin: read-only for all, visible to superusers and auditors only."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.groups import STAFF_GROUPS
from affiliation.admin.css import CSS_COUNTER_STAFF_PERMISSIONS
from affiliation.admin.insured import COUNTER_STAFF_PERMISSIONS as FILE_PERMISSIONS
from affiliation.permissions import COUNTER_STAFF_PERMISSIONS
from cpam_portal.audit import record_access
from cpam_portal.models import AccessLog
from tests.accounts.factories import StaffFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.affiliation.factories_backoffice import counter_staff, staff_without_group

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cpam_portal_accesslog_changelist")


def superuser():
    user = StaffFactory(is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def auditor():
    user = staff_without_group()
    user.user_permissions.add(Permission.objects.get(codename="view_accesslog"))
    return user


@pytest.fixture
def log():
    person = InsuredPersonFactory()
    return record_access(counter_staff(), "view", person, insured_person_id=person.pk)


@pytest.mark.parametrize("make_user", [superuser, auditor])
def test_superusers_and_auditors_read_the_log(client, log, make_user):
    client.force_login(make_user())
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [log]
    change = client.get(reverse("admin:cpam_portal_accesslog_change", args=[log.pk]))
    assert change.status_code == 200
    assert not change.context["has_change_permission"]


def test_counter_staff_do_not_see_the_log(client, log):
    client.force_login(counter_staff())
    assert client.get(CHANGELIST).status_code == 403


def test_no_group_is_given_the_log_by_default():
    assert not Permission.objects.filter(
        codename="view_accesslog", group__name__in=STAFF_GROUPS
    ).exists()


@pytest.mark.parametrize("make_user", [superuser, auditor])
def test_nobody_adds_changes_or_deletes_a_trace(client, log, make_user):
    client.force_login(make_user())
    assert client.get(reverse("admin:cpam_portal_accesslog_add")).status_code == 403
    change_url = reverse("admin:cpam_portal_accesslog_change", args=[log.pk])
    assert client.post(change_url, {"action": "search", "detail": "rewritten"}).status_code == 403
    delete_url = reverse("admin:cpam_portal_accesslog_delete", args=[log.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    response = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [log.pk], "post": "yes"}
    )
    assert response.status_code == 200  # "no action selected": the action does not exist
    log.refresh_from_db()
    assert (log.action, log.detail) == ("view", "")
    assert AccessLog.objects.count() == 1


def test_search_by_insured_person_and_filters(client, log):
    other_person = InsuredPersonFactory()
    other = record_access(log.user, "download", other_person, insured_person_id=other_person.pk)
    client.force_login(superuser())
    assert list(
        client.get(CHANGELIST, {"q": str(log.insured_person_id)}).context["cl"].result_list
    ) == [log]
    assert list(client.get(CHANGELIST, {"q": "Dupont"}).context["cl"].result_list) == []
    assert list(
        client.get(CHANGELIST, {"action__exact": "download"}).context["cl"].result_list
    ) == [other]
    assert client.get(CHANGELIST, {"user__id__exact": log.user_id}).status_code == 200


def test_the_log_list_query_count_is_flat(client, log, django_assert_num_queries):
    client.force_login(superuser())
    client.get(CHANGELIST)
    # 8 for the session, user, user sessions and second factor; the user filter's choices, the
    # date hierarchy, the counts, the page with its users, and 3 to save the session.
    with django_assert_num_queries(17):
        client.get(CHANGELIST)
    for _ in range(5):
        record_access(log.user, "view", log, insured_person_id=log.insured_person_id)
    with django_assert_num_queries(17):
        client.get(CHANGELIST)


def test_counter_staff_get_exactly_the_listed_permissions():
    granted = set(
        Group.objects.get(name="Agents d'accueil")
        .permissions.filter(content_type__app_label="affiliation")
        .values_list("codename", flat=True)
    )
    assert granted == set(COUNTER_STAFF_PERMISSIONS)
    assert set(FILE_PERMISSIONS) | set(CSS_COUNTER_STAFF_PERMISSIONS) <= granted
    assert not any(codename.startswith("delete_") for codename in granted)


def test_staff_without_the_group_cannot_open_a_fiche(client):
    client.force_login(staff_without_group())
    person = InsuredPersonFactory()
    url = reverse("admin:affiliation_insuredperson_change", args=[person.pk])
    assert client.get(url).status_code == 403
