from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy of affiliation.permissions.COUNTER_STAFF_PERMISSIONS (a test checks they agree).
COUNTER_STAFF = "Agents d'accueil"
CODENAMES = (
    "view_insuredperson",
    "add_insuredperson",
    "change_insuredperson",
    "view_beneficiary",
    "add_beneficiary",
    "view_coverageperiod",
    "add_coverageperiod",
    "change_coverageperiod",
    "view_exemption",
    "add_exemption",
    "change_exemption",
    "view_mutuelle",
    "add_mutuelle",
    "change_mutuelle",
    "view_cssapplication",
    "decide_cssapplication",
    "view_cssapplicationmember",
    "view_affiliationrequest",
    "review_affiliationrequest",
    "view_requestdocument",
    "view_requestevent",
    "view_activationcode",
    "add_activationcode",
    "view_linkinglockout",
    "change_linkinglockout",
    "view_bankaccount",
    "review_bankaccount",
    "view_addresschange",
    "view_mutuellecontract",
    "change_mutuellecontract",
    "view_issueddocument",
    "change_issueddocument",
    "view_cardorder",
    "change_cardorder",
)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
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
    group = Group.objects.filter(name=COUNTER_STAFF).first()
    if group:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="affiliation", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("affiliation", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, revoke)]
