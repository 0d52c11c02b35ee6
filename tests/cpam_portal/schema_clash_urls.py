"""A URLconf whose two endpoints answer two different serializers with the same class name.

tests/cpam_portal/test_openapi_schema.py generates its schema to show that a clash of
component names does fail the schema test.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


def endpoint(field_name: str) -> type[APIView]:
    result = type(
        "SimulationResultSerializer",
        (serializers.Serializer,),
        {field_name: serializers.CharField()},
    )

    class Endpoint(APIView):
        authentication_classes: list = []

        @extend_schema(operation_id=f"simulate_{field_name}", request=None, responses=result)
        def post(self, request):
            return Response({})

    return Endpoint


urlpatterns = [
    path("api/v1/first/", endpoint("first").as_view()),
    path("api/v1/second/", endpoint("second").as_view()),
]
