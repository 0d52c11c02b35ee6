from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cpam_portal.models import RuleParameter, load_parameter_rows
from cpam_portal.parameters import (
    ParameterMissing,
    ParameterTable,
    ParameterValue,
    read_parameter_csv,
)


def value(key, amount, start, end=None):
    return ParameterValue(
        key, amount, date.fromisoformat(start), end and date.fromisoformat(end), "test"
    )


PF = [value("pf", "1.00", "2005-01-01", "2024-05-15"), value("pf", "2.00", "2024-05-15")]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2024-05-14", "1.00"),
        ("2024-05-15", "2.00"),
        ("2030-01-01", "2.00"),
        ("2005-01-01", "1.00"),
    ],
)
def test_the_value_in_force_on_a_date_is_returned(on, expected):
    assert ParameterTable(PF).decimal("pf", date.fromisoformat(on)) == Decimal(expected)


def test_a_date_before_any_value_or_in_a_gap_is_missing():
    table = ParameterTable(
        [value("x", "1", "2020-01-01", "2021-01-01"), value("x", "2", "2022-01-01")]
    )
    with pytest.raises(ParameterMissing):
        table.get("x", date(2019, 12, 31))
    with pytest.raises(ParameterMissing):
        table.get("x", date(2021, 6, 1))
    with pytest.raises(ParameterMissing):
        table.get("unknown", date(2021, 6, 1))


def test_csv_rows_are_read_with_comments_skipped(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "# a comment\nkey,value,valid_from,valid_until,source,note\n"
        "pf,2.00,2024-05-15,,ameli,why\n",
        encoding="utf-8",
    )
    [row] = read_parameter_csv(path)
    assert row == ParameterValue("pf", "2.00", date(2024, 5, 15), None, "ameli", "why")


@pytest.mark.django_db
def test_rows_load_once_and_an_overlapping_value_is_refused_in_the_back_office():
    assert load_parameter_rows(RuleParameter, PF) == 2
    assert load_parameter_rows(RuleParameter, PF) == 0
    assert RuleParameter.objects.table("pf").decimal("pf", date(2025, 1, 1)) == Decimal("2.00")
    clash = RuleParameter(key="pf", value="3.00", valid_from=date(2025, 1, 1), source="x")
    with pytest.raises(ValidationError):
        clash.full_clean()
    RuleParameter.objects.filter(key="pf", valid_until=None).update(valid_until=date(2025, 1, 1))
    clash.full_clean()
