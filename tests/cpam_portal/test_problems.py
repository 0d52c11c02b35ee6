"""The shared problem document (RFC 9457) and the flattening of DRF's nested errors."""

import json

from django.utils import translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from cpam_portal.problems import (
    INVALID_DATA_TYPE,
    PROBLEM_CONTENT_TYPE,
    invalid_params_from_errors,
    problem_response,
)


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=3)
    quantity = serializers.IntegerField(min_value=1)


class PersonSerializer(serializers.Serializer):
    birth_date = serializers.DateField()

    def validate(self, attrs):
        raise serializers.ValidationError("Personne refusée.", code="refused_person")


class OrderSerializer(serializers.Serializer):
    person = PersonSerializer()
    items = ItemSerializer(many=True)
    tags = serializers.ListField(child=serializers.ChoiceField(choices=["a", "b"]))
    note = serializers.CharField(max_length=2)


def errors_of(data, serializer_class=OrderSerializer):
    serializer = serializer_class(data=data)
    assert not serializer.is_valid()
    return serializer.errors


def pairs(params):
    return {(param["name"], param["code"]) for param in params}


def test_nested_objects_list_items_and_list_fields_are_named_by_path():
    errors = errors_of(
        {
            "person": {"birth_date": "2020-13-01"},
            "items": [{"code": "G", "quantity": 1}, {"code": "TOOLONG", "quantity": 0}],
            "tags": ["a", "z"],
            "note": "abc",
        }
    )

    assert pairs(invalid_params_from_errors(errors)) == {
        ("person.birth_date", "invalid"),
        ("items[1].code", "max_length"),
        ("items[1].quantity", "min_value"),
        ("tags[1]", "invalid_choice"),
        ("note", "max_length"),
    }


def test_a_nested_object_error_is_named_by_the_object_and_keeps_its_code():
    errors = errors_of(
        {"person": {"birth_date": "2000-01-01"}, "items": [], "tags": [], "note": ""}
    )

    params = invalid_params_from_errors(errors)

    assert ("person", "refused_person") in pairs(params)
    assert {"name": "person", "code": "refused_person", "reason": "Personne refusée."} in params


def test_an_error_on_the_whole_request_is_named_request():
    params = invalid_params_from_errors(errors_of(["not", "an", "object"]))

    assert pairs(params) == {("request", "invalid")}


def test_several_messages_for_one_field_give_one_entry_each():
    params = invalid_params_from_errors({"care_date": ["Première.", "Seconde."]})

    assert [param["reason"] for param in params] == ["Première.", "Seconde."]
    assert {param["name"] for param in params} == {"care_date"}


def test_the_response_is_a_problem_document_with_its_content_type_and_status():
    response = problem_response(
        "Feuille invalide",
        [{"name": "care_date", "code": "future_date", "reason": "Dans le futur."}],
        detail="Corrigez les champs indiqués.",
        status=422,
    )
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = PROBLEM_CONTENT_TYPE
    response.renderer_context = {}
    response.render()

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert json.loads(response.content) == {
        "type": INVALID_DATA_TYPE,
        "title": "Feuille invalide",
        "status": 422,
        "detail": "Corrigez les champs indiqués.",
        "invalid_params": [
            {"name": "care_date", "code": "future_date", "reason": "Dans le futur."}
        ],
    }


def test_without_a_detail_the_document_names_each_invalid_field_once():
    params = [
        {"name": "kind", "code": "invalid_choice", "reason": "…"},
        {"name": "kind", "code": "other", "reason": "…"},
        {"name": "lines[0].base", "code": "min_value", "reason": "…"},
    ]

    with translation.override("fr"):
        response = problem_response("Données invalides", params)

    assert response.status_code == 400
    assert response.data["status"] == 400
    assert response.data["detail"] == "Corrigez les champs suivants : kind, lines[0].base."
