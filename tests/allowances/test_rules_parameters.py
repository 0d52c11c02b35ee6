"""The shipped parameter file: sourced, without overlaps, covering 2017 to today."""

import csv
import re
from datetime import date

import pytest

from allowances.data import PARAMETERS_CSV, allowance_parameter_rows
from allowances.rules.rounding import MODES
from cpam_portal.models import RuleParameter
from cpam_portal.parameters import overlapping
from tests.allowances.rules_helpers import TABLE

ROWS = allowance_parameter_rows()


def test_every_row_names_its_source_and_is_an_allowance_key():
    assert all(row.source and row.key.startswith("allowance.") for row in ROWS)


def test_every_citation_is_public_and_every_row_has_exactly_its_columns():
    # A citation names the public source or a section of docs/sources.md, never an internal note.
    not_public = re.compile(r"RULES\.md|\bissue \d|\bP\d{1,2}\b|(?<!\.md )§")
    assert [row.key for row in ROWS if not_public.search(row.source + row.note)] == []
    with PARAMETERS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(line for line in handle if not line.startswith("#")))
    assert {len(row) for row in rows} == {len(rows[0])}


def test_no_two_values_of_a_key_overlap():
    assert overlapping(ROWS) == []


@pytest.mark.parametrize(
    "key",
    [
        "allowance.smic.hourly",
        "allowance.smic.monthly",
        "allowance.pass.annual",
        "allowance.pmss.monthly",
    ],
)
def test_reference_values_have_no_gap_from_2016_on(key):
    history = TABLE.history(key)
    assert history[0].valid_from == date(2016, 1, 1)
    for earlier, later in zip(history, history[1:], strict=False):
        assert earlier.valid_until == later.valid_from
    assert history[-1].valid_until is None


def test_monthly_smic_is_the_hourly_smic_for_35_hours():
    for row in TABLE.history("allowance.smic.monthly"):
        hourly = TABLE.decimal("allowance.smic.hourly", row.valid_from)
        assert abs(hourly * 35 * 52 / 12 - row.decimal) < 0.01, row


def test_rounding_modes_are_known_and_choices_carry_a_note():
    for key in (
        "allowance.rounding.daily_base",
        "allowance.rounding.amount",
        "allowance.rounding.maximum",
    ):
        row = TABLE.get(key, date(2026, 1, 1))
        assert row.value in MODES
        assert "⚠" in row.note


def test_eligibility_smic_reading_is_dated_with_its_reason():
    before = TABLE.get("allowance.eligibility.smic_date", date(2023, 12, 31))
    after = TABLE.get("allowance.eligibility.smic_date", date(2024, 1, 1))
    assert (before.value, before.valid_from, before.valid_until) == (
        "period_start",
        date(2017, 1, 1),
        date(2024, 1, 1),
    )
    assert (after.value, after.valid_until) == ("stoppage_start", None)
    assert "CNAM" in after.note and "earliest" in after.note


def test_unimplemented_points_are_written_in_notes():
    notes = " ".join(row.note for row in ROWS)
    assert "net-gain limit" in notes
    assert "3 dependent children" in notes


@pytest.mark.django_db
def test_the_data_migration_loaded_every_shipped_row():
    table = RuleParameter.objects.table("allowance.")
    assert table.keys() == TABLE.keys()
    for key in TABLE.keys():
        assert table.history(key) == TABLE.history(key)
