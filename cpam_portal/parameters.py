"""Dated rule parameters, as the pure engines read them.

Every figure a rule uses (a rate, a cap, a flat fee, a rounding mode) is a row with the day it
took effect, the day it stopped (exclusive, or open), and the public source it was read at.
Engines receive a `ParameterTable` and ask it for a key on a date: they never read the database
or the clock, so the same inputs always give the same result and a test can build a table from
the shipped CSV files alone.

The rows live in the database (`cpam_portal.models.RuleParameter`) so that staff can add a new
value in the back office without code; each domain app ships its rows as a CSV file loaded by a
data migration (`read_parameter_csv`).
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cpam_portal.periods import is_in_force

CSV_COLUMNS = ("key", "value", "valid_from", "valid_until", "source", "note")


class ParameterMissing(LookupError):
    """No value of this parameter is in force on that date (the rules are not held)."""

    def __init__(self, key: str, on: date) -> None:
        super().__init__(f"no value of {key!r} in force on {on.isoformat()}")
        self.key = key
        self.on = on


@dataclass(frozen=True)
class ParameterValue:
    """One value of a parameter over a half-open period [valid_from, valid_until)."""

    key: str
    value: str
    valid_from: date
    valid_until: date | None
    source: str
    note: str = ""

    def covers(self, on: date) -> bool:
        return is_in_force(self.valid_from, self.valid_until, on)

    @property
    def decimal(self) -> Decimal:
        try:
            return Decimal(self.value)
        except InvalidOperation as error:
            raise ValueError(f"{self.key} = {self.value!r} is not a number") from error


class ParameterTable:
    """All values of a set of parameters, looked up by key and date."""

    def __init__(self, values: Iterable[ParameterValue]) -> None:
        by_key: dict[str, list[ParameterValue]] = {}
        for value in values:
            by_key.setdefault(value.key, []).append(value)
        self._values = {
            key: sorted(rows, key=lambda row: row.valid_from) for key, rows in by_key.items()
        }
        self._starts = {key: [row.valid_from for row in rows] for key, rows in self._values.items()}

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def keys(self) -> list[str]:
        return sorted(self._values)

    def history(self, key: str) -> list[ParameterValue]:
        return list(self._values.get(key, ()))

    def get(self, key: str, on: date) -> ParameterValue:
        """The value in force on `on`; `ParameterMissing` when there is none."""
        starts = self._starts.get(key)
        if starts:
            index = bisect_right(starts, on) - 1
            if index >= 0 and self._values[key][index].covers(on):
                return self._values[key][index]
        raise ParameterMissing(key, on)

    def decimal(self, key: str, on: date) -> Decimal:
        return self.get(key, on).decimal

    def text(self, key: str, on: date) -> str:
        return self.get(key, on).value


def overlapping(values: Iterable[ParameterValue]) -> list[tuple[ParameterValue, ParameterValue]]:
    """Pairs of values of the same key whose periods overlap (a table must have none)."""
    clashes = []
    for rows in ParameterTable(values)._values.values():
        for earlier, later in zip(rows, rows[1:], strict=False):
            # Sorted by start: they overlap when the earlier is still in force as the later starts.
            if earlier.covers(later.valid_from):
                clashes.append((earlier, later))
    return clashes


def read_parameter_csv(path: Path) -> list[ParameterValue]:
    """The rows of a shipped parameter file (columns `CSV_COLUMNS`; '#' lines are comments)."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        reader = csv.DictReader(lines)
        if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
            raise ValueError(f"{path.name}: columns must be {', '.join(CSV_COLUMNS)}")
        return [
            ParameterValue(
                key=row["key"].strip(),
                value=row["value"].strip(),
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_until=date.fromisoformat(row["valid_until"]) if row["valid_until"] else None,
                source=row["source"].strip(),
                note=row["note"].strip(),
            )
            for row in reader
        ]
