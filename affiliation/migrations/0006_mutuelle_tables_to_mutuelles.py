"""The mutuelles and their contracts move to the `mutuelles` app (one home for the link with
the complementary insurers). Step 1 of 3: rename their tables to the new app's names (a
catalogue change: no row is copied). Step 2 is mutuelles 0003 (the models appear there, their
content types and permissions follow), step 3 affiliation 0007 (they leave this app's state).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("affiliation", "0005_contract_public_id"),
    ]

    operations = [
        migrations.AlterModelTable("Mutuelle", "mutuelles_mutuelle"),
        migrations.AlterModelTable("HistoricalMutuelle", "mutuelles_historicalmutuelle"),
        migrations.AlterModelTable("MutuelleContract", "mutuelles_mutuellecontract"),
        migrations.AlterModelTable(
            "HistoricalMutuelleContract", "mutuelles_historicalmutuellecontract"
        ),
    ]
