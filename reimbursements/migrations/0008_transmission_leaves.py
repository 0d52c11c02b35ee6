"""Step 3 of the move of transmissions to `mutuelles` (see 0007): the model leaves this app's
migration state. Nothing happens in the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reimbursements", "0007_transmission_table_to_mutuelles"),
        ("mutuelles", "0003_link_models_move_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel("Transmission")],
            database_operations=[],
        ),
    ]
