"""Members endpoints: the mutuelle subscribes its members, lists and ends its contracts.

Status codes of the subscription (POST /members/): the answer is always a document saying
whether the beneficiary is matched, never an error for a business outcome:
- 201: something changed (a contract created awaiting the insured, or the insured's declaration
  confirmed), `member` is the contract;
- 200 with `matched: true`, `outcome: already_subscribed`: known already, nothing changed;
- 200 with `matched: false` and `reason` (`unknown_person`, `conflict`): nothing changed;
- 400 problem with `invalid_params`: malformed, nothing changed.
"""

import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from cpam_portal.problems import (
    PROBLEM_CONTENT_TYPE,
    ProblemSerializer,
    invalid_param,
    problem_response,
)
from mutuelles.api.base import IdempotentPostMixin, MutuelleAPIMixin, client_of, mutuelle_of
from mutuelles.api.errors import problem
from mutuelles.api.serializers_members import (
    MutuelleMemberEndSerializer,
    MutuelleMemberSerializer,
    MutuelleSubscriptionResultSerializer,
    MutuelleSubscriptionSerializer,
)
from mutuelles.audit import log_client_read
from mutuelles.scopes import MEMBERS_WRITE
from mutuelles.services import members as services

TAGS = ["mutuelle: members"]


def problems(*codes: int) -> dict:
    """The problem documents an endpoint may answer, for the schema."""
    descriptions = {
        400: gettext_lazy("Données invalides : invalid_params nomme chaque champ."),
        401: gettext_lazy("Jeton absent, expiré ou révoqué."),
        403: gettext_lazy("Le client n'a pas le scope requis, ou il est désactivé."),
        404: gettext_lazy("Inconnu, ou contrat d'une autre mutuelle."),
        409: gettext_lazy("Conflit : clé d'idempotence réutilisée avec une autre requête, etc."),
        429: gettext_lazy("Trop de requêtes pour ce client."),
    }
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description=descriptions[code]
        )
        for code in codes
    }


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Une clé par opération (1 à 255 caractères) : une nouvelle tentative avec la même clé "
        "rejoue la première réponse (en-tête Idempotent-Replayed: true) ; la même clé avec "
        "une autre requête est refusée (409)."
    ),
)


MEMBER_ID = OpenApiParameter(
    "member_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description=gettext_lazy("Identifiant du contrat (champ id des réponses)."),
)


class MemberCursorPagination(CursorPagination):
    # The primary key: unique and never reused, so a page boundary is exact while contracts
    # are added; the cursor is opaque to the mutuelle.
    ordering = ("pk",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        # DRF answers a cursor it cannot read with 404: it is the request that is wrong.
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError(
                {"cursor": [_("Curseur illisible : reprenez au lien « next » d'une réponse.")]}
            ) from error


def member_or_404(request, member_id: str):
    """This mutuelle's contract with that public id; anything else (another mutuelle's, not an
    id at all) is the same 404 problem document."""
    try:
        public_id = uuid.UUID(member_id)
    except ValueError as error:
        raise Http404 from error
    return get_object_or_404(services.contracts_of(mutuelle_of(request)), public_id=public_id)


def member_data(contract) -> dict:
    return MutuelleMemberSerializer(contract, context={"today": timezone.localdate()}).data


class MembersView(IdempotentPostMixin, MutuelleAPIMixin, generics.ListAPIView):
    required_scopes = [MEMBERS_WRITE]
    serializer_class = MutuelleMemberSerializer
    pagination_class = MemberCursorPagination
    filter_backends: list = []

    @property
    def throttle_scope(self) -> str:
        return "mutuelle_write" if self.request.method == "POST" else "mutuelle_read"

    def get_queryset(self):
        contracts = services.contracts_of(mutuelle_of(self.request))
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in {s.value for s in services.MemberStatus}:
                raise serializers.ValidationError(
                    {"status": [_("Statut inconnu : %(value)s.") % {"value": wanted[:40]}]}
                )
            contracts = services.filter_by_member_status(contracts, wanted, timezone.localdate())
        return contracts

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        operation_id="mutuelle_list_members",
        summary=gettext_lazy("Les contrats de la mutuelle"),
        description=gettext_lazy(
            "Tous les contrats qui nomment la mutuelle, dans un ordre stable, par pages "
            "(curseur `next`). Filtre `status` : awaiting_confirmation (déclarés par l'assuré, "
            "à souscrire), awaiting_insured, active, ended, withdrawn."
        ),
        parameters=[
            OpenApiParameter("status", str, enum=list(services.MemberStatus), required=False),
        ],
        responses={200: MutuelleMemberSerializer(many=True), **problems(400, 401, 403, 429)},
        tags=TAGS,
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if count := len(response.data["results"]):  # an empty page tells nothing about anyone
            log_client_read(client_of(request), "members.list", records=count)
        return response

    @extend_schema(
        operation_id="mutuelle_subscribe_member",
        summary=gettext_lazy("Souscrire un bénéficiaire"),
        description=gettext_lazy(
            "La mutuelle déclare son adhérent. Réponse 201 : contrat enregistré (en attente de "
            "l'accord de l'assuré) ou déclaration de l'assuré confirmée (les décomptes "
            "circulent). 200 : déjà connu (rien ne change), ou non rattaché (matched=false, "
            "reason unknown_person ou conflict ; rien ne change). valid_until est exclu."
        ),
        request=MutuelleSubscriptionSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: MutuelleSubscriptionResultSerializer,
            200: MutuelleSubscriptionResultSerializer,
            **problems(400, 401, 403, 409, 429),
        },
        tags=TAGS,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def handle_post(self, request):
        serializer = MutuelleSubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.subscribe(mutuelle_of(request), serializer.subscription())
        member = None
        if result.contract is not None:
            member = member_data(result.contract)
            log_client_read(
                client_of(request),
                "members.subscribe",
                records=1,
                insured_person_id=result.contract.person_id,
            )
        body = {
            "matched": result.matched,
            "outcome": result.outcome.value,
            "reason": None if result.matched else result.outcome.value,
            "member": member,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.changed else 200)


class MemberView(MutuelleAPIMixin, generics.RetrieveAPIView):
    required_scopes = [MEMBERS_WRITE]
    serializer_class = MutuelleMemberSerializer

    def get_object(self):
        return member_or_404(self.request, self.kwargs["member_id"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        operation_id="mutuelle_get_member",
        summary=gettext_lazy("Un contrat de la mutuelle"),
        description=gettext_lazy(
            "Le contrat, son statut et le bénéficiaire. Le contrat d'une autre mutuelle est "
            "introuvable (404), comme un identifiant qui n'existe pas."
        ),
        parameters=[MEMBER_ID],
        responses={200: MutuelleMemberSerializer, **problems(401, 403, 404, 429)},
        tags=TAGS,
    )
    def get(self, request, *args, **kwargs):
        contract = self.get_object()
        log_client_read(
            client_of(request), "members.get", records=1, insured_person_id=contract.person_id
        )
        return Response(self.get_serializer(contract).data)


END_REFUSALS = {
    "before_start": gettext_lazy("La fin (exclue) doit être après le début du contrat."),
    "after_end": gettext_lazy(
        "Un contrat peut finir plus tôt, pas plus tard : la fin déjà connue est plus proche."
    ),
}


class MemberEndView(IdempotentPostMixin, MutuelleAPIMixin, generics.GenericAPIView):
    required_scopes = [MEMBERS_WRITE]
    serializer_class = MutuelleMemberEndSerializer

    @extend_schema(
        operation_id="mutuelle_end_member",
        summary=gettext_lazy("Mettre fin à un contrat"),
        description=gettext_lazy(
            "Aucun décompte de soins datés de valid_until ou après n'est plus transmis. "
            "Seulement un contrat souscrit par la mutuelle ; la même fin deux fois ne change "
            "rien."
        ),
        request=MutuelleMemberEndSerializer,
        parameters=[MEMBER_ID, IDEMPOTENCY_KEY],
        responses={200: MutuelleMemberSerializer, **problems(400, 401, 403, 404, 409, 429)},
        tags=TAGS,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def handle_post(self, request, member_id):
        contract = member_or_404(request, member_id)
        serializer = MutuelleMemberEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            contract = services.end_membership(contract, serializer.validated_data["valid_until"])
        except services.EndRefused as refused:
            if refused.reason == "not_subscribed":
                return problem(
                    "member-not-subscribed",
                    _("Contrat non souscrit"),
                    _("La mutuelle ne peut mettre fin qu'à un contrat qu'elle a souscrit."),
                    status.HTTP_409_CONFLICT,
                )
            return problem_response(
                _("Données invalides"),
                [invalid_param("valid_until", refused.reason, END_REFUSALS[refused.reason])],
            )
        contract = services.contracts_of(mutuelle_of(request)).get(pk=contract.pk)
        log_client_read(
            client_of(request), "members.end", records=1, insured_person_id=contract.person_id
        )
        return Response(member_data(contract))
