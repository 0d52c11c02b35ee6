"""Loading of the reference directory shipped with the code: the funds and the seed offices.

Both files live in directory/data/ (their sources are in its README.md). Loading is idempotent:
a second run writes nothing. Once loaded, the directory editors own the rows: a later load only
adds what is missing and keeps their changes, unless asked to overwrite them with the files.
"""

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from directory.models import Fund, Office
from directory.rules import fund_name

DATA_DIR = Path(__file__).resolve().parent / "data"
DEPARTMENTS_FILE = "departements.csv"
SEED_OFFICES_FILE = "seed_offices.csv"

OFFICE_FIELDS = ("address_line_1", "address_line_2", "address_line_3", "phone", "phone_note")


@dataclass(frozen=True)
class RowCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # differs from the file, left as an editor made it (no overwrite asked)


@dataclass(frozen=True)
class DirectoryLoadCounts:
    funds: RowCounts
    offices: RowCounts


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def load_directory(data_dir: Path = DATA_DIR, *, overwrite: bool = False) -> DirectoryLoadCounts:
    """Create every fund of departements.csv and office of the seed that is missing.

    Offices are keyed by (postcode, city), like the database constraint. A row that exists but
    differs from the file is kept as it is (an editor changed it), or brought back to the file
    when `overwrite` is set. Rows the files do not name are always left alone.
    """
    departments = read_rows(data_dir / DEPARTMENTS_FILE)
    seed_offices = read_rows(data_dir / SEED_OFFICES_FILE)
    # The seed writes the département its own way ("Alpes (Hautes)"); people search with it too.
    seed_labels: dict[str, str] = {}
    for row in seed_offices:
        seed_labels.setdefault(row["department_code"], row["department_label"])

    with transaction.atomic():
        funds, fund_counts = _load_funds(departments, seed_labels, overwrite)
        office_counts = _load_offices(seed_offices, funds, overwrite)
    return DirectoryLoadCounts(funds=fund_counts, offices=office_counts)


def _load_funds(
    departments: list[dict[str, str]], seed_labels: dict[str, str], overwrite: bool
) -> tuple[dict[str, Fund], RowCounts]:
    funds = {fund.department_code: fund for fund in Fund.objects.select_for_update()}
    outcomes: Counter[str] = Counter()
    for row in departments:
        code = row["code"]
        values = {
            "department_name": row["name"],
            "seed_label": seed_labels.get(code, ""),
            "name": fund_name(row["kind"], row["charniere"], row["name"]),
            "kind": row["kind"],
            "time_zone": row["time_zone"],
        }
        if code in funds:
            outcomes[_save_differences(funds[code], values, overwrite)] += 1
        else:
            funds[code] = Fund.objects.create(department_code=code, **values)
            outcomes["created"] += 1
    return funds, RowCounts(**outcomes)


def _load_offices(
    seed_offices: list[dict[str, str]], funds: dict[str, Fund], overwrite: bool
) -> RowCounts:
    offices = {
        (office.postcode, office.city): office for office in Office.objects.select_for_update()
    }
    outcomes: Counter[str] = Counter()
    for row in seed_offices:
        values = {
            "fund_id": funds[row["department_code"]].pk,
            **{field: row[field] for field in OFFICE_FIELDS},
        }
        office = offices.get((row["postcode"], row["city"]))
        if office is None:
            Office.objects.create(postcode=row["postcode"], city=row["city"], **values)
            outcomes["created"] += 1
        else:
            outcomes[_save_differences(office, values, overwrite)] += 1
    return RowCounts(**outcomes)


def _save_differences(instance: Fund | Office, values: dict[str, object], overwrite: bool) -> str:
    """Save the fields whose value differs when `overwrite`: "updated", "kept" or "unchanged"."""
    changed = [field for field, value in values.items() if getattr(instance, field) != value]
    if not changed:
        return "unchanged"
    if not overwrite:
        return "kept"
    for field in changed:
        setattr(instance, field, values[field])
    instance.save(update_fields=changed)
    return "updated"
