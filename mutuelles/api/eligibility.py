"""Eligibility endpoint: compulsory cover and exemptions of a member on a date."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from mutuelles.api.base import MutuelleAPIView, client_of, mutuelle_of
from mutuelles.api.members import problems
from mutuelles.api.serializers_members import (
    MutuelleEligibilityQuerySerializer,
    MutuelleEligibilitySerializer,
)
from mutuelles.audit import log_client_read
from mutuelles.scopes import ELIGIBILITY_READ
from mutuelles.services.eligibility import eligibility


class EligibilityView(MutuelleAPIView):
    required_scopes = [ELIGIBILITY_READ]

    @extend_schema(
        operation_id="mutuelle_check_eligibility",
        summary=gettext_lazy("Droits d'un adhérent au régime obligatoire"),
        description=gettext_lazy(
            "Couvert ou non par le régime obligatoire à la date `on` (aujourd'hui par défaut), "
            "et les motifs d'exonération en vigueur (codes), rien de plus. Seulement pour un "
            "bénéficiaire qui a un contrat avec la mutuelle (non retiré) ; sinon 404, comme "
            "pour un NIR inconnu."
        ),
        parameters=[MutuelleEligibilityQuerySerializer],
        responses={200: MutuelleEligibilitySerializer, **problems(400, 401, 403, 404, 429)},
        tags=["mutuelle: eligibility"],
    )
    def get(self, request):
        query = MutuelleEligibilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        found = eligibility(
            mutuelle_of(request),
            nir=data["nir"],
            rank=data["rank"],
            birth_date=data["birth_date"],
            on=data.get("on") or timezone.localdate(),
        )
        if found is None:
            raise Http404
        log_client_read(
            client_of(request), "eligibility", records=1, insured_person_id=found.person_id
        )
        body = {"on": found.on, "covered": found.covered, "exemptions": found.exemptions}
        return Response(MutuelleEligibilitySerializer(body).data)
