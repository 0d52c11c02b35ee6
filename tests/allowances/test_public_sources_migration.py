"""Migration 0005: the shipped citations of the IJ parameters become the public sources."""

import importlib

import pytest
from django.apps import apps

from allowances.data import allowance_parameter_rows
from cpam_portal.models import RuleParameter

migration = importlib.import_module("allowances.migrations.0005_public_sources")
ENTRIES = migration.TEXTS["rule_parameters"]
STAFF_TEXT = "Décret du 1er janvier 2030, corrected by staff"


def row_of(entry: dict) -> RuleParameter:
    return RuleParameter.objects.get(key=entry["key"], valid_from=entry["valid_from"])


def texts(row, entry: dict) -> dict:
    return {field: getattr(row, field) for field in migration.FIELDS if field in entry}


def expected(entry: dict, side: str) -> dict:
    return {field: entry[field][side] for field in migration.FIELDS if field in entry}


def test_the_public_texts_are_those_of_the_shipped_file():
    rows = {(row.key, row.valid_from.isoformat()): row for row in allowance_parameter_rows()}
    for entry in ENTRIES:
        assert texts(rows[(entry["key"], entry["valid_from"])], entry) == expected(
            entry, "public"
        ), entry["key"]


@pytest.mark.django_db
def test_shipped_rows_are_rewritten_and_a_corrected_row_is_left_as_staff_wrote_it():
    # The test database was loaded from today's file: put back the texts shipped before.
    migration.to_shipped_texts(apps, None)
    corrected = next(entry for entry in ENTRIES if "note" in entry)
    RuleParameter.objects.filter(pk=row_of(corrected).pk).update(note=STAFF_TEXT)

    migration.to_public_sources(apps, None)

    for entry in ENTRIES:
        if entry is not corrected:
            assert texts(row_of(entry), entry) == expected(entry, "public"), entry["key"]
    # The field staff corrected keeps their text; the other field of that row is rewritten.
    assert row_of(corrected).note == STAFF_TEXT
    assert row_of(corrected).source == corrected["source"]["public"]

    migration.to_shipped_texts(apps, None)

    assert all(texts(row_of(e), e) == expected(e, "shipped") for e in ENTRIES if e is not corrected)
    assert row_of(corrected).note == STAFF_TEXT
    assert row_of(corrected).source == corrected["source"]["shipped"]
