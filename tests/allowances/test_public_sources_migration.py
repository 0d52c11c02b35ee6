"""Migration 0005: the shipped citations of the IJ parameters become the public sources."""

import hashlib
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


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def expected(entry: dict, side: str) -> dict:
    return {field: entry[field][side] for field in migration.FIELDS if field in entry}


def test_the_public_texts_are_those_of_the_shipped_file():
    rows = {(row.key, row.valid_from.isoformat()): row for row in allowance_parameter_rows()}
    for entry in ENTRIES:
        assert texts(rows[(entry["key"], entry["valid_from"])], entry) == expected(
            entry, "public"
        ), entry["key"]


def test_each_entry_changes_its_text():
    for entry in ENTRIES:
        for field in migration.FIELDS:
            if field in entry:
                assert not migration.shipped_text_of(entry[field]["public"], entry[field])


@pytest.mark.django_db
def test_a_row_still_shipped_is_rewritten_and_a_corrected_field_is_left_as_staff_wrote_it(
    monkeypatch,
):
    # The texts shipped before cited documents the repository does not hold, and only their
    # digests are kept: stand-ins with their digests play them here.
    entry = next(entry for entry in ENTRIES if "note" in entry)
    source, note = "the source loaded in 2025", "the note loaded in 2025"
    monkeypatch.setattr(
        migration,
        "TEXTS",
        {
            "rule_parameters": [
                {
                    **entry,
                    "source": {**entry["source"], "shipped_sha256": digest(source)},
                    "note": {**entry["note"], "shipped_sha256": digest(note)},
                }
            ]
        },
    )
    RuleParameter.objects.filter(pk=row_of(entry).pk).update(source=source, note=STAFF_TEXT)

    migration.to_public_sources(apps, None)

    # The field staff corrected keeps their text; the other field of that row is rewritten.
    assert row_of(entry).source == entry["source"]["public"]
    assert row_of(entry).note == STAFF_TEXT
