"""Moving the mutuelle link between apps loses nothing: on a database holding the whole demo of
`make run`, the migrations are unapplied back to before the move, then applied again, and every
row of the moved tables, the content types (with their ids) and the staff groups' rights come
back unchanged, with nothing copied on the way."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from directory.loading import load_directory
from mutuelles.models import Mutuelle, MutuelleContract, Transmission
from reimbursements.nomenclature import clear_rule_snapshot

BEFORE_THE_MOVE = [
    ("affiliation", "0005_contract_public_id"),
    ("reimbursements", "0006_feed_position_per_mutuelle"),
    ("mutuelles", "0002_staff_permissions"),
]
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
DEMO_COMMANDS = (
    "load_demo",
    "load_demo_affiliation",
    "load_demo_contracts",
    "load_demo_reimbursements",
    "load_demo_allowances",
    "load_demo_appointments",
    "load_demo_mutuelles",
)

# Migrations run outside a test transaction; the test starts from the database as migrations
# left it (an earlier transactional test may have emptied the tables of data migrations).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, table)
    # `claimed_at` of transmissions was never written; the move drops it, unapplying re-adds it.
    return sorted(column.name for column in described if column.name != "claimed_at")


def rows(table: str, names: list[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(names)} FROM {table}")
        return sorted(cursor.fetchall(), key=repr)


def content_types() -> dict[tuple[str, str], int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_label, model, id FROM django_content_type")
        return {(app, model): pk for app, model, pk in cursor.fetchall()}


def group_rights() -> set[tuple[str, int, str]]:
    """(group, content type id, codename) of every right a staff group holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.name, p.content_type_id, p.codename FROM auth_group g "
            "JOIN auth_group_permissions gp ON gp.group_id = g.id "
            "JOIN auth_permission p ON p.id = gp.permission_id"
        )
        return set(cursor.fetchall())


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_unapplying_and_applying_the_move_keeps_every_row_and_right(capsys):
    clear_rule_snapshot()  # another test of this process may have cached other rules
    load_directory()
    for command in DEMO_COMMANDS:
        call_command(command)
    capsys.readouterr()
    assert Mutuelle.objects.exists() and MutuelleContract.objects.exists()
    assert Transmission.objects.filter(feed_position__isnull=False).exists()
    names = {table: columns(table) for table in MOVED}
    before = {table: rows(table, names[table]) for table in MOVED}
    types, rights = content_types(), group_rights()
    assert all(before.values())

    migrate(BEFORE_THE_MOVE)

    old_types = content_types()
    for table, (old_table, old_app, model) in MOVED.items():
        assert rows(old_table, names[table]) == before[table], old_table
        assert old_types[(old_app, model)] == types[("mutuelles", model)]
    assert group_rights() == rights

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert {table: rows(table, names[table]) for table in MOVED} == before
    assert content_types() == types
    assert group_rights() == rights
    # The rows still hold together: every pushed transmission has its message item.
    assert not Transmission.objects.filter(
        status=Transmission.Status.SENT, webhook_item__isnull=True
    ).exists()
