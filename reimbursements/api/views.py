"""The public care-sheet simulator: anonymous, throttled like every public endpoint, no writes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from reimbursements.api.serializers import (
    CareSheetSimulationSerializer,
    ProblemSerializer,
    SimulationResultSerializer,
)
from reimbursements.rules.types import InvalidSheet
from reimbursements.simulation import error_list, result_data, simulate

PROBLEM_CONTENT_TYPE = "application/problem+json"


def flatten_errors(errors, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested errors as a flat list of {field: "lines[0].base", code, message}."""
    flat: list[dict[str, str]] = []
    if isinstance(errors, dict):
        for name, value in errors.items():
            if name == "non_field_errors":
                path = prefix
            elif isinstance(name, int):  # a list's errors keyed by index (ListField, many=True)
                path = f"{prefix}[{name}]"
            else:
                path = f"{prefix}.{name}" if prefix else name
            flat.extend(flatten_errors(value, path))
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, dict | list):
                flat.extend(flatten_errors(value, f"{prefix}[{index}]"))
            else:
                flat.extend(flatten_errors(value, prefix))
    else:
        flat.append(
            {"field": prefix, "code": getattr(errors, "code", "invalid"), "message": str(errors)}
        )
    return flat


def problem(errors: list[dict[str, str]]) -> Response:
    return Response(
        {
            "type": "about:blank",
            "title": _("Feuille de soins invalide"),
            "status": 400,
            "detail": _("Corrigez les champs indiqués."),
            "errors": errors,
        },
        status=status.HTTP_400_BAD_REQUEST,
        content_type=PROBLEM_CONTENT_TYPE,
    )


class CareSheetSimulationView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="simulate_care_sheet",
        summary=gettext_lazy("Simuler le remboursement d'une feuille de soins"),
        description=gettext_lazy(
            "Calcule, avec les règles en vigueur à la date des soins, la part de l'Assurance "
            "Maladie pour chaque ligne, ce qui reste à la charge du patient et pourquoi. Rien "
            "n'est enregistré. Montants en chaînes à deux décimales, taux comme « 0.70 »."
        ),
        request=CareSheetSimulationSerializer,
        responses={
            200: SimulationResultSerializer,
            400: OpenApiResponse(
                ProblemSerializer,
                description=gettext_lazy(
                    "Document application/problem+json : chaque champ invalide avec son code "
                    "(code d'acte inconnu à cette date, date future, montant négatif ou absurde…)."
                ),
            ),
            429: OpenApiResponse(description=gettext_lazy("Trop de requêtes.")),
        },
        tags=["simulations"],
    )
    def post(self, request):
        serializer = CareSheetSimulationSerializer(data=request.data)
        if not serializer.is_valid():
            return problem(flatten_errors(serializer.errors))
        try:
            result = simulate(serializer.sheet_input())
        except InvalidSheet as invalid:
            return problem(error_list(invalid))
        return Response(result_data(result))
