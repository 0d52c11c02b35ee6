"""The database guard against two stoppages of one person sharing a day (PostgreSQL only).

`make run` uses SQLite, which has no exclusion constraint, so this is not a Meta constraint:
migration 0002 runs NO_OVERLAP_SQL on PostgreSQL only. The declaring service checks overlaps
under a lock on the person in every database (allowances.services.stoppages); on PostgreSQL the
constraint is the backstop (tests/allowances/test_models_constraints.py).
"""

NO_OVERLAP_CONSTRAINT = "allowances_stoppage_no_overlap"

NO_OVERLAP_SQL = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist;"
    "ALTER TABLE allowances_workstoppage ADD CONSTRAINT "
    f"{NO_OVERLAP_CONSTRAINT} EXCLUDE USING gist ("
    "person_id WITH =, daterange(start_date, end_date, '[]') WITH &&"
    ") WHERE (status <> 'refused');"
)
NO_OVERLAP_REVERSE_SQL = (
    f"ALTER TABLE allowances_workstoppage DROP CONSTRAINT IF EXISTS {NO_OVERLAP_CONSTRAINT};"
)
