from django.db import migrations

# A copy of allowances.models.constraints (a test checks the constraint is there on PostgreSQL).
NO_OVERLAP_SQL = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist;"
    "ALTER TABLE allowances_workstoppage ADD CONSTRAINT "
    "allowances_stoppage_no_overlap EXCLUDE USING gist ("
    "person_id WITH =, daterange(start_date, end_date, '[]') WITH &&"
    ") WHERE (status <> 'refused');"
)
NO_OVERLAP_REVERSE_SQL = (
    "ALTER TABLE allowances_workstoppage DROP CONSTRAINT IF EXISTS allowances_stoppage_no_overlap;"
)


def add_constraint(apps, schema_editor):
    # SQLite (make run) has no exclusion constraint: the service's locked check is the guard.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_OVERLAP_SQL)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_OVERLAP_REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [("allowances", "0001_initial")]
    operations = [migrations.RunPython(add_constraint, drop_constraint)]
