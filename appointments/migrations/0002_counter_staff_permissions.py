from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy of appointments.permissions.COUNTER_STAFF_PERMISSIONS (a test checks they agree).
COUNTER_STAFF = "Agents d'accueil"
CODENAMES = (
    "manage_agenda",
    "view_booking",
    "change_booking",
    "view_slot",
    "change_slot",
    "view_service",
    "add_service",
    "change_service",
    "view_openinghours",
    "add_openinghours",
    "change_openinghours",
    "delete_openinghours",
    "view_closure",
    "add_closure",
    "change_closure",
    "delete_closure",
    "view_waitinglistentry",
    "view_slotoffer",
)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("appointments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COUNTER_STAFF)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="appointments", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=COUNTER_STAFF).first()
    if group:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="appointments", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, revoke)]
