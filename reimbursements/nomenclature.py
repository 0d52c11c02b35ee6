"""The engine's rules from where they are kept: shipped CSV files, or the database.

`rule_snapshot()` reads the nomenclature and the `reimbursement.` parameters from the database
once per process and keeps the pure `RuleSnapshot` (which caches each care date's resolved
rules); saving a tariff or a parameter clears it in this process (signals connected in
`reimbursements.models.nomenclature`); other processes see it within `SNAPSHOT_TTL_SECONDS`.
`rule_snapshot_from_files()` builds the same from the shipped CSV files (tests, benchmarks).
"""

from __future__ import annotations

import csv
import threading
import time
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db.models import F

from cpam_portal.parameters import ParameterTable, read_parameter_csv
from reimbursements.rules.snapshot import RuleSnapshot
from reimbursements.rules.types import ActKind, ActTariff, Family, Specialty, Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
NOMENCLATURE_CSV = DATA_DIR / "nomenclature.csv"
PARAMETERS_CSV = DATA_DIR / "parameters.csv"
NOMENCLATURE_COLUMNS = (
    "code",
    "label",
    "family",
    "unit",
    "kind",
    "tariff",
    "rate",
    "specialty",
    "valid_from",
    "valid_until",
    "source",
    "note",
)
SNAPSHOT_TTL_SECONDS = 300


def read_nomenclature_csv(path: Path = NOMENCLATURE_CSV) -> list[dict[str, str]]:
    """The rows of the shipped nomenclature file ('#' lines are comments)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        if tuple(reader.fieldnames or ()) != NOMENCLATURE_COLUMNS:
            raise ValueError(f"{path.name}: columns must be {', '.join(NOMENCLATURE_COLUMNS)}")
        return [{key: (value or "").strip() for key, value in row.items()} for row in reader]


def act_tariff_of(row: dict) -> ActTariff:
    """A pure `ActTariff` from a CSV row or a database row (same field names)."""

    def decimal_or_none(value) -> Decimal | None:
        return None if value in (None, "") else Decimal(value)

    def date_or_none(value) -> date | None:
        if value in (None, ""):
            return None
        return value if isinstance(value, date) else date.fromisoformat(value)

    return ActTariff(
        code=row["code"],
        label=row["label"],
        family=Family(row["family"]),
        unit=Unit(row["unit"]),
        kind=ActKind(row["kind"] or ActKind.ACT),
        valid_from=date_or_none(row["valid_from"]),  # type: ignore[arg-type]
        valid_until=date_or_none(row["valid_until"]),
        tariff=decimal_or_none(row["tariff"]),
        rate=decimal_or_none(row["rate"]),
        specialty=Specialty(row["specialty"]) if row["specialty"] else None,
        source=row["source"],
    )


@cache
def rule_snapshot_from_files() -> RuleSnapshot:
    acts = [act_tariff_of(row) for row in read_nomenclature_csv()]
    return RuleSnapshot(acts, ParameterTable(read_parameter_csv(PARAMETERS_CSV)))


def snapshot_from_database() -> RuleSnapshot:
    from cpam_portal.models import RuleParameter
    from reimbursements.models import ActTariff as ActTariffRow

    rows = ActTariffRow.objects.values(
        "tariff",
        "valid_from",
        "valid_until",
        "source",
        code=F("act__code"),
        label=F("act__label"),
        family=F("act__family"),
        unit=F("act__unit"),
        kind=F("act__kind"),
        rate=F("act__rate"),
        specialty=F("act__specialty"),
    )
    return RuleSnapshot(
        [act_tariff_of(row) for row in rows], RuleParameter.objects.table("reimbursement.")
    )


_lock = threading.Lock()
_cached: tuple[float, RuleSnapshot] | None = None


def rule_snapshot() -> RuleSnapshot:
    """The rules from the database, read at most once per `SNAPSHOT_TTL_SECONDS` per process."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > SNAPSHOT_TTL_SECONDS:
            _cached = (time.monotonic(), snapshot_from_database())
        return _cached[1]


def clear_rule_snapshot(**kwargs) -> None:
    global _cached
    with _lock:
        _cached = None


def annual_caps(table: ParameterTable, on: date) -> tuple[Decimal, Decimal]:
    """(participation forfaitaire cap, franchise cap) per calendar year in force on `on`."""
    return (
        table.decimal("reimbursement.pf.cap.year", on),
        table.decimal("reimbursement.franchise.cap.year", on),
    )


def load_shipped_nomenclature(act_code_model, act_tariff_model) -> int:
    """Insert the shipped act codes and tariff versions not there yet (data migrations).

    Takes the historical models a migration gets from `apps`; rows already present (same code,
    same start) are left as staff may have corrected them.
    """
    rows = read_nomenclature_csv()
    codes = {code.code: code for code in act_code_model.objects.all()}
    for row in rows:
        if row["code"] not in codes:
            codes[row["code"]] = act_code_model.objects.create(
                code=row["code"],
                label=row["label"],
                family=row["family"],
                unit=row["unit"],
                kind=row["kind"] or ActKind.ACT,
                rate=Decimal(row["rate"]) if row["rate"] else None,
                specialty=row["specialty"],
            )
    existing = set(act_tariff_model.objects.values_list("act__code", "valid_from"))
    new = [
        act_tariff_model(
            act=codes[row["code"]],
            tariff=Decimal(row["tariff"]) if row["tariff"] else None,
            valid_from=date.fromisoformat(row["valid_from"]),
            valid_until=date.fromisoformat(row["valid_until"]) if row["valid_until"] else None,
            source=row["source"],
            note=row["note"],
        )
        for row in rows
        if (row["code"], date.fromisoformat(row["valid_from"])) not in existing
    ]
    act_tariff_model.objects.bulk_create(new)
    return len(new)


def load_shipped_parameters(rule_parameter_model) -> int:
    from cpam_portal.models import load_parameter_rows

    return load_parameter_rows(rule_parameter_model, read_parameter_csv(PARAMETERS_CSV))
