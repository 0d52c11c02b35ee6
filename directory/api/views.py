"""Public, read-only API of the funds directory."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from directory.api.filters import OfficeFilter
from directory.api.serializers import FundSerializer, OfficeSerializer
from directory.models import Fund, Office
from directory.rules import normalise_department_code

DEPARTMENT_CODE_PARAMETER = OpenApiParameter(
    "department_code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("Code du département : 01…95, 2A, 2B, 971…974 (« 1 » et « 2a » sont admis)."),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Liste des caisses"),
        description=_("Toutes les caisses, par ordre de département, avec leurs accueils."),
    ),
    retrieve=extend_schema(
        summary=_("Une caisse"),
        description=_("Une caisse et ses accueils, désignée par son code de département."),
        parameters=[DEPARTMENT_CODE_PARAMETER],
    ),
)
class FundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FundSerializer
    lookup_field = "department_code"
    lookup_value_regex = "[0-9A-Za-z]{1,3}"

    def get_queryset(self):
        offices = Office.objects.order_by("city", "pk")
        return Fund.objects.prefetch_related(Prefetch("offices", queryset=offices)).order_by(
            "sort_key"
        )

    def get_object(self):
        # "1" and "2a" name the same funds as "01" and "2A"; no other spelling matches.
        code = normalise_department_code(self.kwargs[self.lookup_field])
        fund = get_object_or_404(self.get_queryset(), department_code=code or "")
        self.check_object_permissions(self.request, fund)
        return fund


@extend_schema_view(
    list=extend_schema(
        summary=_("Liste des accueils"),
        description=_(
            "Les accueils de toutes les caisses, par ordre de département puis de ville. "
            "Filtrables par département et par code postal."
        ),
    ),
    retrieve=extend_schema(summary=_("Un accueil")),
)
class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter

    def get_queryset(self):
        return Office.objects.select_related("fund").order_by("fund__sort_key", "city", "pk")
