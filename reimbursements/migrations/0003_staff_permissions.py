from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy of reimbursements.permissions.COUNTER_STAFF_PERMISSIONS (a test checks they agree),
# granted to the counter staff and to the reimbursement staff.
GROUPS = ("Agents d'accueil", "Agents remboursements")
CODENAMES = (
    "view_caresheet",
    "add_caresheet",
    "review_caresheet",
    "view_caresheetline",
    "view_statement",
    "view_statementline",
    "view_payment",
    "view_transmission",
    "view_withholdingyear",
)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("reimbursements")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="reimbursements", codename__in=CODENAMES
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="reimbursements", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [("reimbursements", "0002_nomenclature_data"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, revoke)]
