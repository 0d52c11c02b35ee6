import json
import logging

import pytest

from cpam_portal.logging import JsonFormatter, MaskPersonalNumbersFilter, mask_personal_numbers


@pytest.mark.parametrize(
    "text",
    [
        "NIR 185057800608436 refusé",
        "NIR 1 85 05 78 006 084 36 refusé",
        "NIR 2 85 05 2A 123 456 78 refusé",  # born in Corsica
        "NIR 185057800608436",
        "IBAN FR7630006000011234567890189 invalide",
        "IBAN FR76 3000 6000 0112 3456 7890 189 invalide",
        "IBAN DE89370400440532013000",
    ],
)
def test_personal_numbers_are_masked(text):
    masked = mask_personal_numbers(text)
    assert "[masqué]" in masked
    assert not any(ch.isdigit() for ch in masked.replace("[masqué]", ""))


@pytest.mark.parametrize(
    "text", ["commande 12345 livrée", "code postal 75019", "téléphone 04 74 45 84 84", "2026-11-23"]
)
def test_ordinary_numbers_are_kept(text):
    assert mask_personal_numbers(text) == text


def test_the_filter_masks_arguments_and_exceptions_before_formatting():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "lookup of %s failed", ("185057800608436",), None
    )
    try:
        raise ValueError("bad IBAN FR7630006000011234567890189")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    MaskPersonalNumbersFilter().filter(record)
    record.request_id = "abc"
    line = JsonFormatter("%(asctime)s %(levelname)s %(message)s %(request_id)s").format(record)
    payload = json.loads(line)
    assert payload["message"] == "lookup of [masqué] failed"
    assert "185057800608436" not in line
    assert "FR7630006000011234567890189" not in line
    assert payload["request_id"] == "abc"


def test_request_id_header_is_returned(client, db):
    response = client.get("/healthz")
    assert response.headers.get("X-Request-ID")
