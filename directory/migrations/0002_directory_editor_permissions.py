from django.contrib.auth.management import create_permissions
from django.db import migrations

DIRECTORY_EDITORS = "Éditeurs de l'annuaire"
MODELS = ("fund", "office", "directoryimport")
ACTIONS = ("view", "add", "change", "delete")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=DIRECTORY_EDITORS)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=DIRECTORY_EDITORS).first()
    if group:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="directory"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, revoke)]
