from django.contrib.auth.management import create_permissions
from django.db import migrations

# Copies of allowances.permissions (a test checks they agree).
GROUP_PERMISSIONS = {
    "Agents indemnités journalières": (
        "view_workstoppage",
        "view_stoppagenotice",
        "view_salaryattestation",
        "view_salarymonth",
        "view_allowancepayment",
        "review_workstoppage",
        "review_salaryattestation",
        "add_salarymonth",
        "change_salarymonth",
        "delete_salarymonth",
    ),
    "Agents d'accueil": (
        "view_workstoppage",
        "view_stoppagenotice",
        "view_salaryattestation",
        "view_salarymonth",
        "view_allowancepayment",
    ),
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("allowances")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="allowances", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="allowances", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("allowances", "0002_no_overlapping_stoppages"),
        ("accounts", "0002_staff_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
