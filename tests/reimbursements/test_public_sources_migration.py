"""Migration 0009: the shipped citations of tariffs and parameters become the public sources."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from cpam_portal.models import RuleParameter
from cpam_portal.parameters import read_parameter_csv
from reimbursements.models import ActTariff
from reimbursements.nomenclature import PARAMETERS_CSV, read_nomenclature_csv

migration = importlib.import_module("reimbursements.migrations.0009_public_sources")
PARAMETERS = migration.TEXTS["rule_parameters"]
TARIFFS = migration.TEXTS["act_tariffs"]
STAFF_TEXT = "Arrêté du 1er janvier 2030, corrected by staff"


def parameter_row(entry: dict) -> RuleParameter:
    return RuleParameter.objects.get(key=entry["key"], valid_from=entry["valid_from"])


def tariff_row(entry: dict) -> ActTariff:
    return ActTariff.objects.get(act__code=entry["code"], valid_from=entry["valid_from"])


def texts_of(row, entry: dict) -> dict:
    return {field: getattr(row, field) for field in migration.FIELDS if field in entry}


def expected(entry: dict, side: str) -> dict:
    return {field: entry[field][side] for field in migration.FIELDS if field in entry}


def test_the_public_texts_are_those_of_the_shipped_files():
    parameters = {(v.key, v.valid_from): v for v in read_parameter_csv(PARAMETERS_CSV)}
    for entry in PARAMETERS:
        value = parameters[(entry["key"], date.fromisoformat(entry["valid_from"]))]
        assert texts_of(value, entry) == expected(entry, "public"), entry["key"]
    tariffs = {(row["code"], row["valid_from"]): row for row in read_nomenclature_csv()}
    for entry in TARIFFS:
        row = tariffs[(entry["code"], entry["valid_from"])]
        assert {field: row[field] for field in expected(entry, "public")} == expected(
            entry, "public"
        ), entry["code"]


def test_each_entry_changes_its_text():
    for entry in PARAMETERS + TARIFFS:
        assert any(field in entry for field in migration.FIELDS)
        for field in migration.FIELDS:
            if field in entry:
                assert entry[field]["shipped"] != entry[field]["public"]


@pytest.mark.django_db
def test_shipped_rows_are_rewritten_and_a_corrected_row_is_left_as_staff_wrote_it():
    # The test database was loaded from today's files: put back the texts shipped before.
    migration.to_shipped_texts(apps, None)
    corrected_parameter, corrected_tariff = PARAMETERS[1], TARIFFS[3]
    RuleParameter.objects.filter(pk=parameter_row(corrected_parameter).pk).update(source=STAFF_TEXT)
    ActTariff.objects.filter(pk=tariff_row(corrected_tariff).pk).update(source=STAFF_TEXT)

    migration.to_public_sources(apps, None)

    for entry in PARAMETERS:
        if entry is not corrected_parameter:
            assert texts_of(parameter_row(entry), entry) == expected(entry, "public")
    for entry in TARIFFS:
        if entry is not corrected_tariff:
            assert texts_of(tariff_row(entry), entry) == expected(entry, "public")
    assert parameter_row(corrected_parameter).source == STAFF_TEXT
    assert tariff_row(corrected_tariff).source == STAFF_TEXT

    migration.to_shipped_texts(apps, None)

    assert texts_of(parameter_row(PARAMETERS[0]), PARAMETERS[0]) == expected(
        PARAMETERS[0], "shipped"
    )
    assert texts_of(tariff_row(TARIFFS[0]), TARIFFS[0]) == expected(TARIFFS[0], "shipped")
    assert parameter_row(corrected_parameter).source == STAFF_TEXT
    assert tariff_row(corrected_tariff).source == STAFF_TEXT
