"""Shapes of the directory API.

drf-spectacular turns a class docstring into the schema's description, untranslated: notes on
these classes are comments, and the documented texts are translated help_texts.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from directory.models import Fund, Office


# An office inside its fund: no need to repeat which fund it belongs to.
class FundOfficeSerializer(serializers.ModelSerializer):
    address_lines = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Lignes d'adresse avant le code postal, sans les lignes vides."),
    )

    class Meta:
        model = Office
        fields = ["id", "address_lines", "postcode", "city", "phone", "phone_note"]
        read_only_fields = fields


class OfficeSerializer(FundOfficeSerializer):
    department_code = serializers.CharField(
        source="fund.department_code", read_only=True, help_text=_("Code du département.")
    )
    fund = serializers.HyperlinkedRelatedField(
        view_name="api-v1:directory-fund-detail",
        lookup_field="department_code",
        read_only=True,
        help_text=_("Adresse de la caisse dans l'API."),
    )

    class Meta(FundOfficeSerializer.Meta):
        fields = [
            "id",
            "department_code",
            "fund",
            "address_lines",
            "postcode",
            "city",
            "phone",
            "phone_note",
        ]
        read_only_fields = fields


class FundSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:directory-fund-detail", lookup_field="department_code"
    )
    offices = FundOfficeSerializer(many=True, read_only=True)

    class Meta:
        model = Fund
        fields = [
            "url",
            "department_code",
            "department_name",
            "name",
            "kind",
            "time_zone",
            "offices",
        ]
        read_only_fields = fields
