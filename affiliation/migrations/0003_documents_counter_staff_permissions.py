from django.contrib.auth.management import create_permissions
from django.db import migrations

from affiliation.models.documents import COUNTER_STAFF_PERMISSIONS

COUNTER_STAFF = "Agents d'accueil"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("affiliation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COUNTER_STAFF)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="affiliation", codename__in=COUNTER_STAFF_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=COUNTER_STAFF).first()
    if group:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="affiliation", codename__in=COUNTER_STAFF_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("affiliation", "0002_documents"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, revoke)]
