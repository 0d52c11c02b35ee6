"""Moving the mutuelle link between apps loses nothing: a database of its own is migrated and
filled with the whole demo of `make run`, the migrations are unapplied back to before the move,
then applied again, and every row of the moved tables, the content types (with their ids) and
the staff groups' rights come back unchanged, with nothing copied on the way.

The database is a new one, driven by `manage.py` in subprocesses as an operator would: the
test's own database is shared with the other tests of the process and must keep its schema.
"""

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[2]
BEFORE_THE_MOVE = (
    ("affiliation", "0005_contract_public_id"),
    ("reimbursements", "0006_feed_position_per_mutuelle"),
    ("mutuelles", "0002_staff_permissions"),
)
# Table now → table before the move, and the model's content type (app label before the move).
MOVED = {
    "mutuelles_mutuelle": ("affiliation_mutuelle", "affiliation", "mutuelle"),
    "mutuelles_historicalmutuelle": (
        "affiliation_historicalmutuelle",
        "affiliation",
        "historicalmutuelle",
    ),
    "mutuelles_mutuellecontract": (
        "affiliation_mutuellecontract",
        "affiliation",
        "mutuellecontract",
    ),
    "mutuelles_historicalmutuellecontract": (
        "affiliation_historicalmutuellecontract",
        "affiliation",
        "historicalmutuellecontract",
    ),
    "mutuelles_transmission": ("reimbursements_transmission", "reimbursements", "transmission"),
}
DEMO = (
    "from django.core.management import call_command\n"
    "for command in ('load_directory', 'load_demo', 'load_demo_affiliation', "
    "'load_demo_contracts', 'load_demo_reimbursements', 'load_demo_allowances', "
    "'load_demo_appointments', 'load_demo_mutuelles'):\n"
    "    call_command(command)\n"
)

Connect = Callable[[], "psycopg.Connection | sqlite3.Connection"]


@pytest.fixture
def database(tmp_path) -> Iterator[tuple[Connect, str]]:
    """(how to connect, DATABASE_URL) of a new, empty database of the suite's kind: on the
    test server for PostgreSQL (dropped after), in a file for SQLite."""
    if connection.vendor != "postgresql":
        path = tmp_path / "move.sqlite3"
        yield (lambda: sqlite3.connect(path, isolation_level=None)), f"sqlite:///{path}"
        return
    default = settings.DATABASES["default"]
    server = psycopg.conninfo.make_conninfo(
        host=default["HOST"],
        port=str(default["PORT"]),
        user=default["USER"],
        password=default["PASSWORD"] or None,
        dbname="postgres",
    )
    name = f"move_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    credentials = default["USER"] + (f":{default['PASSWORD']}" if default["PASSWORD"] else "")
    url = f"postgres://{credentials}@{default['HOST']}:{default['PORT']}/{name}"
    try:
        conninfo = psycopg.conninfo.make_conninfo(server, dbname=name)
        yield (lambda: psycopg.connect(conninfo, autocommit=True)), url
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def manage(url: str, *args: str) -> None:
    # Without REDIS_URL, tasks run in-process, as in `make run`: no message reaches the
    # workers other tests start.
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(DATABASE_URL=url, DJANGO_ENV="test")
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]


def columns(db, table: str) -> list[str]:
    # `claimed_at` of transmissions was never written; the move drops it, unapplying re-adds it.
    if isinstance(db, sqlite3.Connection):
        names = [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()]
    else:
        query = "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        names = [name for (name,) in db.execute(query, [table]).fetchall()]
    return sorted(name for name in names if name != "claimed_at")


def rows(db, table: str, names: list[str]) -> list[tuple]:
    return sorted(db.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall(), key=repr)


def content_types(db) -> dict[tuple[str, str], int]:
    found = db.execute("SELECT app_label, model, id FROM django_content_type").fetchall()
    return {(app, model): pk for app, model, pk in found}


def group_rights(db) -> set[tuple]:
    """(group, content type id, codename) of every right a staff group holds."""
    return set(
        db.execute(
            "SELECT g.name, p.content_type_id, p.codename FROM auth_group g "
            "JOIN auth_group_permissions gp ON gp.group_id = g.id "
            "JOIN auth_permission p ON p.id = gp.permission_id"
        ).fetchall()
    )


def test_unapplying_and_applying_the_move_keeps_every_row_and_right(database):
    connect, url = database
    manage(url, "migrate", "--no-input", "-v", "0")
    manage(url, "createcachetable")
    manage(url, "shell", "-c", DEMO)
    db = connect()
    try:
        names = {table: columns(db, table) for table in MOVED}
        before = {table: rows(db, table, names[table]) for table in MOVED}
        types, rights = content_types(db), group_rights(db)
        assert all(before.values())  # every moved table holds demo rows
        released = "SELECT count(*) FROM mutuelles_transmission WHERE feed_position IS NOT NULL"
        assert db.execute(released).fetchone()[0] > 0

        manage(url, "migrate", "--no-input", "-v", "0", *BEFORE_THE_MOVE[0])
        manage(url, "migrate", "--no-input", "-v", "0", *BEFORE_THE_MOVE[1])
        manage(url, "migrate", "--no-input", "-v", "0", *BEFORE_THE_MOVE[2])

        old_types = content_types(db)
        for table, (old_table, old_app, model) in MOVED.items():
            assert rows(db, old_table, names[table]) == before[table], old_table
            assert old_types[(old_app, model)] == types[("mutuelles", model)]
        assert group_rights(db) == rights

        manage(url, "migrate", "--no-input", "-v", "0")

        assert {table: rows(db, table, names[table]) for table in MOVED} == before
        assert content_types(db) == types
        assert group_rights(db) == rights
        # The rows still hold together: every transmission sent has its message item.
        orphans = db.execute(
            "SELECT count(*) FROM mutuelles_transmission t WHERE t.status = 'sent' AND NOT "
            "EXISTS (SELECT 1 FROM mutuelles_webhookmessageitem i WHERE i.transmission_id = t.id)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        db.close()
