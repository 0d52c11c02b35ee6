"""Migration 0009: the shipped citations of tariffs and parameters become the public sources."""

import hashlib
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
                assert not migration.shipped_text_of(entry[field]["public"], entry[field])


@pytest.mark.django_db
def test_a_row_still_shipped_is_rewritten_and_a_corrected_row_is_left_as_staff_wrote_it(
    monkeypatch,
):
    # The texts shipped before cited documents the repository does not hold, and only their
    # digests are kept: stand-ins with their digests play them here.
    shipped, corrected = PARAMETERS[0], TARIFFS[3]
    stand_in = "the text loaded in 2025"
    digest = hashlib.sha256(stand_in.encode()).hexdigest()
    texts = {
        "rule_parameters": [{**shipped, "source": {**shipped["source"], "shipped_sha256": digest}}],
        "act_tariffs": [{**corrected, "source": {**corrected["source"], "shipped_sha256": digest}}],
    }
    monkeypatch.setattr(migration, "TEXTS", texts)
    RuleParameter.objects.filter(pk=parameter_row(shipped).pk).update(source=stand_in)
    ActTariff.objects.filter(pk=tariff_row(corrected).pk).update(source=STAFF_TEXT)

    migration.to_public_sources(apps, None)

    assert parameter_row(shipped).source == shipped["source"]["public"]
    assert tariff_row(corrected).source == STAFF_TEXT
