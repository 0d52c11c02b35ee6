from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy of mutuelles.permissions.REIMBURSEMENT_STAFF_PERMISSIONS (a test checks they agree).
GROUP = "Agents remboursements"
PERMISSIONS = (
    "mutuelles.view_mutuelleclient",
    "mutuelles.add_mutuelleclient",
    "mutuelles.change_mutuelleclient",
    "mutuelles.view_clientaccesslog",
    "oauth2_provider.view_accesstoken",
    "mutuelles.view_webhookendpoint",
    "mutuelles.add_webhookendpoint",
    "mutuelles.change_webhookendpoint",
    "mutuelles.view_webhookmessage",
    "mutuelles.change_webhookmessage",
    "mutuelles.view_deliveryattempt",
)


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for dotted in PERMISSIONS:
        app_label, codename = dotted.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    for label in ("mutuelles", "oauth2_provider"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("mutuelles", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        migrations.swappable_dependency(settings.OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL),
    ]
    operations = [migrations.RunPython(grant, revoke)]
