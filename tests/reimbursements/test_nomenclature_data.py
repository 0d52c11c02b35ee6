"""The shipped nomenclature and parameters: their dates, their sources, their loading."""

import csv
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError

from cpam_portal.models import RuleParameter
from cpam_portal.parameters import overlapping, read_parameter_csv
from reimbursements.models import ActCode, ActTariff
from reimbursements.nomenclature import (
    NOMENCLATURE_CSV,
    PARAMETERS_CSV,
    annual_caps,
    clear_rule_snapshot,
    read_nomenclature_csv,
    rule_snapshot,
    rule_snapshot_from_files,
)
from reimbursements.rules.types import ErrorCode, Family, InvalidSheet
from tests.accounts.factories import StaffFactory

G_STEPS = [
    (date(2017, 5, 1), Decimal("25.00")),
    (date(2023, 11, 1), Decimal("26.50")),
    (date(2024, 12, 22), Decimal("30.00")),
]


# A citation names the public source or a section of docs/sources.md, never an internal note.
NOT_PUBLIC = re.compile(r"RULES\.md|\bissue \d|\bP\d{1,2}\b|(?<!\.md )§")


@pytest.fixture(autouse=True)
def _fresh_rules():
    clear_rule_snapshot()
    yield
    clear_rule_snapshot()


@pytest.mark.parametrize(("first_day", "tariff"), G_STEPS)
def test_g_changes_on_its_date_and_not_the_day_before(first_day, tariff):
    rules = rule_snapshot_from_files()
    assert rules.on(first_day).acts["G"].tariff == tariff
    assert rules.on(first_day - timedelta(days=1)).acts.get("G", None) is None or (
        rules.on(first_day - timedelta(days=1)).acts["G"].tariff != tariff
    )


def test_g_values_on_both_sides_of_each_change():
    rules = rule_snapshot_from_files()
    assert rules.on(date(2023, 10, 31)).acts["G"].tariff == Decimal("25.00")
    assert rules.on(date(2023, 11, 1)).acts["G"].tariff == Decimal("26.50")
    assert rules.on(date(2024, 12, 21)).acts["G"].tariff == Decimal("26.50")
    assert rules.on(date(2024, 12, 22)).acts["G"].tariff == Decimal("30.00")
    assert "G" not in rules.on(date(2017, 4, 30)).acts
    assert rules.on(date(2017, 4, 30)).acts["C"].tariff == Decimal("23.00")


def test_dated_parameters_change_on_their_dates():
    rules = rule_snapshot_from_files()
    assert rules.on(date(2024, 5, 14)).pf.value == Decimal("1.00")
    assert rules.on(date(2024, 5, 15)).pf.value == Decimal("2.00")
    assert rules.on(date(2023, 10, 14)).rate[Family.DENTAL].value == Decimal("0.70")
    assert rules.on(date(2023, 10, 15)).rate[Family.DENTAL].value == Decimal("0.60")
    assert rules.on(date(2026, 2, 28)).fjh.value == Decimal("20.00")
    assert rules.on(date(2026, 3, 1)).fjh.value == Decimal("23.00")
    assert rules.on(date(2026, 3, 31)).flat_fee.value == Decimal("24.00")
    assert rules.on(date(2026, 4, 1)).flat_fee.value == Decimal("32.00")
    assert rules.on(date(2024, 3, 30)).franchise_medicine.value == Decimal("0.50")
    assert rules.on(date(2024, 3, 31)).franchise_medicine.value == Decimal("1.00")


def test_every_row_names_its_source_and_no_periods_overlap():
    rows = read_nomenclature_csv()
    assert all(row["source"] for row in rows)
    by_code = {}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    for code, versions in by_code.items():
        versions.sort(key=lambda row: row["valid_from"])
        for earlier, later in zip(versions, versions[1:], strict=False):
            assert earlier["valid_until"] and earlier["valid_until"] <= later["valid_from"], code
    values = read_parameter_csv(PARAMETERS_CSV)
    assert all(value.source for value in values)
    assert all(value.key.startswith("reimbursement.") for value in values)
    assert overlapping(values) == []


def test_every_citation_is_public_and_every_row_has_exactly_its_columns():
    texts = [row["source"] + row["note"] for row in read_nomenclature_csv()]
    texts += [value.source + value.note for value in read_parameter_csv(PARAMETERS_CSV)]
    assert [text for text in texts if NOT_PUBLIC.search(text)] == []
    for path in (NOMENCLATURE_CSV, PARAMETERS_CSV):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(line for line in handle if not line.startswith("#")))
        # An unquoted comma in a note would silently cut it (the reader drops the extra fields).
        assert {len(row) for row in rows} == {len(rows[0])}, path.name


def test_every_warning_choice_is_explained_in_its_note():
    for value in read_parameter_csv(PARAMETERS_CSV):
        if "⚠" in value.source:
            assert value.note
    choices = [value for value in read_parameter_csv(PARAMETERS_CSV) if "⚠" in value.note]
    assert {value.key for value in choices} >= {
        "reimbursement.rounding",
        "reimbursement.flat_fee.amount",
        "reimbursement.sector2.base.general_practitioner",
        "reimbursement.sector3.base.general_practitioner",
        "reimbursement.rate.auxiliary",
    }


def test_the_rules_are_held_every_day_from_2017_to_today():
    rules = rule_snapshot_from_files()
    day = date(2017, 1, 1)
    while day <= date(2026, 12, 31):
        rules.on(day)
        day += timedelta(days=30)


def test_a_day_before_the_first_rules_is_refused():
    with pytest.raises(InvalidSheet) as refused:
        rule_snapshot_from_files().on(date(2016, 12, 31))
    assert refused.value.errors[0].code == ErrorCode.PARAMETERS_MISSING


def test_annual_caps_for_the_account_pages():
    table = rule_snapshot_from_files().parameters
    assert annual_caps(table, date(2025, 6, 1)) == (Decimal("50.00"), Decimal("50.00"))


# --- Database ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_loaded_what_the_files_hold():
    files = rule_snapshot_from_files()
    database = rule_snapshot()
    assert sorted(database.acts, key=repr) == sorted(files.acts, key=repr)
    for day in (date(2018, 3, 4), date(2024, 6, 3), date(2026, 4, 1)):
        assert database.on(day).pf == files.on(day).pf
        assert database.on(day).acts == files.on(day).acts
    assert RuleParameter.objects.filter(key="reimbursement.rounding").exists()


@pytest.mark.django_db
def test_a_tariff_added_in_the_back_office_is_used_from_its_date():
    g = ActCode.objects.get(code="G")
    current = ActTariff.objects.get(act=g, valid_until__isnull=True)
    assert rule_snapshot().on(date(2027, 1, 1)).acts["G"].tariff == Decimal("30.00")

    current.valid_until = date(2027, 1, 1)
    current.full_clean()
    current.save()
    new = ActTariff(act=g, tariff=Decimal("32.00"), valid_from=date(2027, 1, 1), source="test")
    new.full_clean()
    new.save()

    rules = rule_snapshot()  # the saves cleared this process's cached snapshot
    assert rules.on(date(2026, 12, 31)).acts["G"].tariff == Decimal("30.00")
    assert rules.on(date(2027, 1, 1)).acts["G"].tariff == Decimal("32.00")


@pytest.mark.django_db
def test_an_overlapping_tariff_is_refused():
    g = ActCode.objects.get(code="G")
    clash = ActTariff(act=g, tariff=Decimal("31.00"), valid_from=date(2025, 1, 1), source="x")
    with pytest.raises(ValidationError):
        clash.full_clean()


@pytest.mark.django_db
def test_staff_see_the_nomenclature_in_the_admin(client):
    staff = StaffFactory(is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    admin_client = client
    admin_client.force_login(staff)
    g = ActCode.objects.get(code="G")
    assert admin_client.get(f"/admin/reimbursements/actcode/{g.pk}/change/").status_code == 200
    assert admin_client.get("/admin/reimbursements/acttariff/?q=G").status_code == 200
