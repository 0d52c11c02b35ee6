"""A non-guessable id for each complementary contract, shown by the mutuelle API.

Three steps because existing rows each need their own UUID: a column default is computed once
per migration, so the field is added nullable, filled row by row, then made unique and required.
"""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    contract_model = apps.get_model("affiliation", "MutuelleContract")
    for contract in contract_model.objects.filter(public_id__isnull=True).only("pk"):
        contract.public_id = uuid.uuid4()
        contract.save(update_fields=["public_id"])
    history_model = apps.get_model("affiliation", "HistoricalMutuelleContract")
    for row in history_model.objects.filter(public_id__isnull=True).only("pk"):
        row.public_id = uuid.uuid4()
        row.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("affiliation", "0004_mutuelle_subscription"),
    ]

    operations = [
        migrations.AddField(
            model_name="mutuellecontract",
            name="public_id",
            field=models.UUIDField(null=True, verbose_name="identifiant public"),
        ),
        migrations.AddField(
            model_name="historicalmutuellecontract",
            name="public_id",
            field=models.UUIDField(null=True, verbose_name="identifiant public"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="mutuellecontract",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4, unique=True, verbose_name="identifiant public"
            ),
        ),
        migrations.AlterField(
            model_name="historicalmutuellecontract",
            name="public_id",
            field=models.UUIDField(
                db_index=True, default=uuid.uuid4, verbose_name="identifiant public"
            ),
        ),
    ]
