"""Locks on a name, held until the transaction ends: for work that must run one at a time
across processes (numbering a feed, allocating the next number of a series).

On PostgreSQL, an advisory lock (`pg_advisory_xact_lock`) on the name's hash: it is released
by the commit or the rollback, and by the death of the holder's connection, so a dead worker
never keeps it. Two names sharing a hash only wait for each other, they never share work. On
SQLite (`make run`) one transaction writes at a time already: there is nothing to take.
"""

from django.db import connection


def hold_until_commit(name: str) -> None:
    """Wait for and take the lock called `name` for the rest of the current transaction."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
