"""The schema of the statement document names exactly what `statement_format` produces."""

import re

import pytest
from rest_framework import serializers

from mutuelles.api.serializers_statements import MutuelleStatementSerializer
from mutuelles.models import Transmission
from mutuelles.statement_format import documents_for, transmissions_with_documents
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_feed import (
    AT_THE_PHARMACY,
    TWO_LINES,
    WITH_DEPASSEMENT,
    released,
    released_for_a_child,
)
from tests.reimbursements.factories import rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]

MONEY = re.compile(r"^-?\d+\.\d{2}$")


def check(value, field: serializers.Field, path: str, seen: set[str]) -> None:
    """`value` has the shape `field` documents; records the paths of the optional keys met."""
    if value is None:
        assert field.allow_null, f"{path} is null but not documented nullable"
        return
    if isinstance(field, serializers.ListSerializer):
        assert isinstance(value, list), path
        for index, item in enumerate(value):
            check(item, field.child, f"{path}[{index}]", seen)
        return
    if isinstance(field, serializers.Serializer):
        assert isinstance(value, dict), path
        fields = field.fields
        assert set(value) <= set(fields), f"{path}: undocumented {set(value) - set(fields)}"
        required = {name for name, child in fields.items() if child.required}
        assert required <= set(value), f"{path}: missing {required - set(value)}"
        for name, child in fields.items():
            if name in value:
                if not child.required:
                    seen.add(f"{path}.{name}")
                check(value[name], child, f"{path}.{name}", seen)
        return
    if isinstance(field, serializers.DecimalField):
        assert isinstance(value, str), path
        if field.decimal_places == 2 and field.max_digits == 12:
            assert MONEY.match(value), f"{path}: {value!r} is not money"
        return
    if isinstance(field, serializers.IntegerField):
        assert isinstance(value, int), path
        return
    if isinstance(field, serializers.ChoiceField):
        assert value in field.choices, f"{path}: {value!r} not among the documented choices"
        return
    if isinstance(field, serializers.DateTimeField | serializers.DateField):
        assert field.to_internal_value(value), path
        return
    assert isinstance(value, str), path


def test_every_key_of_real_documents_is_documented_and_every_documented_key_is_there():
    mutuelle = MutuelleFactory()
    released(mutuelle, 1, lines=TWO_LINES)
    released(mutuelle, 1, **WITH_DEPASSEMENT)
    released(mutuelle, 1, **AT_THE_PHARMACY)
    released_for_a_child(mutuelle)
    documents = documents_for(
        transmissions_with_documents(Transmission.objects.order_by("feed_position"))
    )

    seen: set[str] = set()
    check(documents, MutuelleStatementSerializer(many=True), "statements", seen)

    # The optional key (a franchise's kind) was met, so it was checked too.
    assert "statements[2].lines[0].adjustments[0].kind" in seen
    adjustment_codes = {
        adjustment["code"]
        for document in documents
        for line in document["lines"]
        for adjustment in line["adjustments"]
    }
    assert adjustment_codes == {"participation_forfaitaire", "franchise_medicale"}
    assert documents[1]["lines"][0]["depassement"] != "0.00"
