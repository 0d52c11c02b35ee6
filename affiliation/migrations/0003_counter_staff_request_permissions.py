from django.contrib.auth.management import create_permissions
from django.db import migrations

# Copy of affiliation.models.requests.COUNTER_STAFF_PERMISSIONS (migrations do not import app code).
COUNTER_STAFF = "Agents d'accueil"
CODENAMES = (
    "view_affiliationrequest",
    "review_affiliationrequest",
    "view_requestdocument",
    "view_requestevent",
)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("affiliation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COUNTER_STAFF)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="affiliation", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=COUNTER_STAFF).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="affiliation", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [("affiliation", "0002_affiliation_requests"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, revoke)]
