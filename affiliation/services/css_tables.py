"""The CSS tables of affiliation/data/, read once into the rules' dataclasses.

The tables are data files with a source column, not database rows: a revaluation is a reviewed
change of a CSV file (see affiliation/data/README.md), and the rules stay a pure function of the
rows passed to them.
"""

import csv
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from affiliation.rules.css import CeilingRow, ParticipationBand

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CEILINGS_FILE = DATA_DIR / "css_ceilings.csv"
PARTICIPATION_FILE = DATA_DIR / "css_participation.csv"


def _optional_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def read_ceiling_rows(path: Path = CEILINGS_FILE) -> tuple[CeilingRow, ...]:
    with path.open(encoding="utf-8", newline="") as file:
        return tuple(
            CeilingRow(
                territory=row["territory"],
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_until=_optional_date(row["valid_until"]),
                persons=None if row["persons"] == "extra" else int(row["persons"]),
                free_ceiling=Decimal(row["free_ceiling"]),
                participation_ceiling=Decimal(row["participation_ceiling"]),
                source=row["source"],
            )
            for row in csv.DictReader(file)
        )


def read_participation_bands(path: Path = PARTICIPATION_FILE) -> tuple[ParticipationBand, ...]:
    with path.open(encoding="utf-8", newline="") as file:
        return tuple(
            ParticipationBand(
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_until=_optional_date(row["valid_until"]),
                min_age=int(row["min_age"]),
                max_age=int(row["max_age"]) if row["max_age"] else None,
                monthly_amount=Decimal(row["monthly_amount"]),
                source=row["source"],
            )
            for row in csv.DictReader(file)
        )


@cache
def ceiling_rows() -> tuple[CeilingRow, ...]:
    return read_ceiling_rows()


@cache
def participation_bands() -> tuple[ParticipationBand, ...]:
    return read_participation_bands()
