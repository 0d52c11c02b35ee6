"""Every statement of the pipeline whose best form differs between PostgreSQL and the others.

The pipeline writes wide rows by the thousand: on PostgreSQL it uses COPY and set-based SQL
(`unnest` arrays, upserts, `FOR NO KEY UPDATE SKIP LOCKED`), several times faster than Django's
bulk helpers (`bulk_update` builds a CASE per row and field: seconds for a batch, against
milliseconds here); elsewhere (SQLite for `make run`) the ORM's portable forms do the same work.
Keeping every vendor branch here leaves the pipeline's other modules free of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from reimbursements.models import WithholdingDay, WithholdingYear

# The day counters of the ledger, in the order `upsert_day_rows` receives them.
DAY_FIELDS = (
    "participation_count",
    "participation_amount",
    "franchise_paramedical",
    "franchise_transport",
    "franchise_medicine",
)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def insert_rows(model: type[models.Model], objects: list) -> list:
    """Insert `objects` and give them their ids: COPY with ids taken from the table's sequence
    on PostgreSQL, bulk_create elsewhere."""
    if not objects or not is_postgresql():
        return model._default_manager.bulk_create(objects)
    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(str(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                row = []
                for field in fields:
                    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                        setattr(obj, field.attname, now)
                    row.append(getattr(obj, field.attname))
                copy.write_row(row)
    for obj in objects:
        obj._state.adding = False
    return objects


def copy_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[tuple],
    *,
    json_columns: Iterable[str] = (),
) -> None:
    """Insert plain tuples (one value per column, in `columns` order; Python values for the
    `json_columns`) without reading ids back: COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if not is_postgresql():
        model._default_manager.bulk_create(
            model(**dict(zip(columns, row, strict=True))) for row in rows
        )
        return
    as_json = {columns.index(name) for name in json_columns}
    with connection.cursor() as cursor:
        copy_sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                if as_json:
                    row = tuple(
                        json.dumps(value) if index in as_json else value
                        for index, value in enumerate(row)
                    )
                copy.write_row(row)


# --- The withholdings ledger ------------------------------------------------------------------


def create_year_rows(keys: Sequence[tuple[int, int]]) -> None:
    """The missing (person, year) rows, at zero; those that exist are left alone."""
    if not is_postgresql():
        WithholdingYear.objects.bulk_create(
            [WithholdingYear(person_id=person_id, year=year) for person_id, year in keys],
            ignore_conflicts=True,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WithholdingYear._meta.db_table} "  # noqa: S608
            "(person_id, year, participation_forfaitaire, franchises, updated_at) "
            "SELECT person_id, year, 0, 0, now() "
            "FROM unnest(%s::bigint[], %s::int[]) AS k(person_id, year) "
            "ON CONFLICT (person_id, year) DO NOTHING",
            [[key[0] for key in keys], [key[1] for key in keys]],
        )


def lock_year_rows(keys: Sequence[tuple[int, int]]) -> Iterable[tuple]:
    """(id, person, year, participation, franchises) of the (person, year) rows no other
    transaction holds, locked until ours ends; rows held elsewhere are skipped, not waited for.
    May return rows of other pairs of the same persons and years: the caller keeps its own."""
    if not is_postgresql():
        return (
            WithholdingYear.objects.filter(
                person_id__in={key[0] for key in keys}, year__in={key[1] for key in keys}
            )
            .order_by("person_id", "year")
            .select_for_update(no_key=True, skip_locked=True)
            .values_list("id", "person_id", "year", "participation_forfaitaire", "franchises")
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, person_id, year, participation_forfaitaire, franchises "  # noqa: S608
            f"FROM {WithholdingYear._meta.db_table} "
            "WHERE (person_id, year) IN (SELECT * FROM unnest(%s::bigint[], %s::int[])) "
            "ORDER BY person_id, year FOR NO KEY UPDATE SKIP LOCKED",
            [[key[0] for key in keys], [key[1] for key in keys]],
        )
        return cursor.fetchall()


def update_year_rows(years: Sequence[tuple[int, Decimal, Decimal]], *, now: datetime) -> None:
    """Overwrite (id, participation, franchises) of locked year rows."""
    if not years:
        return
    if not is_postgresql():
        WithholdingYear.objects.bulk_update(
            [
                WithholdingYear(
                    pk=pk, participation_forfaitaire=participation, franchises=franchises,
                    updated_at=now,
                )
                for pk, participation, franchises in years
            ],
            ["participation_forfaitaire", "franchises", "updated_at"],
        )  # fmt: skip
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {WithholdingYear._meta.db_table} AS w "  # noqa: S608
            "SET participation_forfaitaire = v.pf, franchises = v.fr, updated_at = %s "
            "FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS v(id, pf, fr) "
            "WHERE w.id = v.id",
            [now, *map(list, zip(*years, strict=True))],
        )


def upsert_day_rows(days: Sequence[tuple[int | None, int, date, str, tuple]]) -> None:
    """Write (id or None, person, day, professional number, DAY_FIELDS values) day rows: a new
    row where the id is None, an overwrite otherwise."""
    if not days:
        return
    if not is_postgresql():
        rows = [
            WithholdingDay(
                pk=pk, person_id=person_id, day=day, professional_number=number,
                **dict(zip(DAY_FIELDS, values, strict=True)),
            )
            for pk, person_id, day, number, values in days
        ]  # fmt: skip
        WithholdingDay.objects.bulk_create([row for row in rows if row.pk is None])
        WithholdingDay.objects.bulk_update([row for row in rows if row.pk is not None], DAY_FIELDS)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WithholdingDay._meta.db_table} "  # noqa: S608
            f"(person_id, day, professional_number, {', '.join(DAY_FIELDS)}) "
            "SELECT * FROM unnest(%s::bigint[], %s::date[], %s::varchar[], %s::smallint[], "
            "%s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[]) "
            "ON CONFLICT (person_id, day, professional_number) DO UPDATE SET "
            + ", ".join(f"{name} = EXCLUDED.{name}" for name in DAY_FIELDS),
            [
                [row[1] for row in days],
                [row[2] for row in days],
                [row[3] for row in days],
                *([row[4][index] for row in days] for index in range(len(DAY_FIELDS))),
            ],
        )
