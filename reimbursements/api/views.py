"""The public care-sheet simulator: anonymous, throttled like every public endpoint, no writes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import APIView

from cpam_portal.problems import (
    REQUEST,
    ProblemSerializer,
    invalid_param,
    invalid_params_from_errors,
    problem_response,
)
from reimbursements.api.serializers import (
    CareSheetSimulationResultSerializer,
    CareSheetSimulationSerializer,
)
from reimbursements.rules.types import InvalidSheet
from reimbursements.simulation import invalid_params, result_data, simulate


def invalid_sheet(params: list[dict[str, str]], detail: str | None = None) -> Response:
    return problem_response(
        _("Feuille de soins invalide"),
        params,
        detail=detail or _("Corrigez les champs indiqués."),
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
            200: CareSheetSimulationResultSerializer,
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
            return invalid_sheet(invalid_params_from_errors(serializer.errors))
        try:
            result = simulate(serializer.sheet_input())
        except InvalidSheet as invalid:
            return invalid_sheet(invalid_params(invalid))
        return Response(result_data(result))

    def handle_exception(self, exc):
        # A body that is not JSON gets the same problem document as any invalid sheet.
        if isinstance(exc, ParseError):
            return invalid_sheet(
                [invalid_param(REQUEST, "parse_error", exc.detail)],
                detail=_("Le corps de la requête n'est pas un JSON valide."),
            )
        return super().handle_exception(exc)
