from django.db import migrations

# Names frozen here: a later rename is a new migration, not an edit of this one.
STAFF_GROUPS = (
    "Agents d'accueil",
    "Agents remboursements",
    "Agents indemnités journalières",
    "Éditeurs de l'annuaire",
)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in STAFF_GROUPS:
        Group.objects.get_or_create(name=name)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=STAFF_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, delete_groups)]
