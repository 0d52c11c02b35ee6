"""Transmissions move to the `mutuelles` app, which now routes statements to the mutuelles;
the pipeline leaves each statement it issues in an outbox instead. Step 1 of 3: rename the
transmissions' table (a catalogue change: no row is copied) and create the outbox. Step 2 is
mutuelles 0003, step 3 reimbursements 0008.

The outbox starts empty: every statement issued before this migration was routed by the
pipeline itself when it was written.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reimbursements", "0006_feed_position_per_mutuelle"),
    ]

    operations = [
        migrations.AlterModelTable("Transmission", "mutuelles_transmission"),
        migrations.CreateModel(
            name="StatementOutbox",
            fields=[
                (
                    "statement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="reimbursements.statement",
                        verbose_name="décompte",
                    ),
                ),
            ],
            options={
                "verbose_name": "décompte à transmettre",
                "verbose_name_plural": "décomptes à transmettre",
            },
        ),
    ]
