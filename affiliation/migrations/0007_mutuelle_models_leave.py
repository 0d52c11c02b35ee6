"""Step 3 of the move of the mutuelles and their contracts to `mutuelles` (see 0006): they
leave this app's migration state. Nothing happens in the database: the tables now belong to
mutuelles' models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("affiliation", "0006_mutuelle_tables_to_mutuelles"),
        ("mutuelles", "0003_link_models_move_here"),
        # Transmissions pointed at these models until they left reimbursements' state.
        ("reimbursements", "0008_transmission_leaves"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel("HistoricalMutuelleContract"),
                migrations.DeleteModel("MutuelleContract"),
                migrations.DeleteModel("HistoricalMutuelle"),
                migrations.DeleteModel("Mutuelle"),
            ],
            database_operations=[],
        ),
    ]
