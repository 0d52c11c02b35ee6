"""The statement endpoints of the mutuelle API: the feed, one statement, the daily totals, and
the mutuelle's answer (acknowledge or reject).

Thin views: the queries live in `mutuelles.services.feed`, the answers in
`mutuelles.services.acknowledgements`; every query starts from the caller's mutuelle, so another
mutuelle's statement is a 404 like one that does not exist.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from cpam_portal.problems import PROBLEM_CONTENT_TYPE
from mutuelles.api.base import IdempotentPostMixin, MutuelleAPIView, client_of, mutuelle_of
from mutuelles.api.errors import problem
from mutuelles.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from mutuelles.api.idempotency import MAX_KEY_LENGTH
from mutuelles.api.pagination import FeedPage, MutuelleFeedQuerySerializer
from mutuelles.api.serializers_statements import (
    MutuelleStatementAnswerSerializer,
    MutuelleStatementPageSerializer,
    MutuelleStatementProblemSerializer,
    MutuelleStatementRejectSerializer,
    MutuelleStatementSerializer,
    MutuelleStatementTotalsQuerySerializer,
    MutuelleStatementTotalsSerializer,
)
from mutuelles.audit import log_client_read
from mutuelles.scopes import STATEMENTS_ACK, STATEMENTS_READ
from mutuelles.services import acknowledgements, feed
from mutuelles.statement_format import FEED_TIMEZONE

TAGS = ["mutuelle: statements"]
# Actions of the client access log (ClientAccessLog.action).
LIST_ACTION = "statements.list"
READ_ACTION = "statements.read"


def refusal(status: int, description: str) -> dict:
    """A problem document in the schema, with its own media type."""
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            MutuelleStatementProblemSerializer, description=description
        )
    }


COMMON_REFUSALS = {
    **refusal(401, gettext_lazy("Jeton absent, invalide ou expiré.")),
    **refusal(403, gettext_lazy("Le jeton n'a pas le scope demandé.")),
    **refusal(429, gettext_lazy("Trop de requêtes pour ce client.")),
}
NOT_FOUND = refusal(
    404,
    gettext_lazy("Aucun décompte de ce flux n'a cet identifiant (ou il est à une autre mutuelle)."),
)
STATEMENT_ID = OpenApiParameter(
    "public_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description=gettext_lazy("L'`id` du décompte (celui des documents du flux et des webhooks)."),
)
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Clé choisie par le client (1 à 255 caractères) : une requête répétée avec la même clé "
        "rejoue la première réponse ; la même clé avec un autre corps est refusée (409)."
    ),
)


class StatementFeedView(MutuelleAPIView):
    required_scopes = [STATEMENTS_READ]

    @extend_schema(
        operation_id="mutuelle_statements_feed",
        summary=gettext_lazy("Flux des décomptes de vos adhérents"),
        description=gettext_lazy(
            "Les décomptes mis à disposition de la mutuelle, dans l'ordre de leur position. "
            "Pagination par curseur : suivez `next` jusqu'à ce qu'il soit null ; chaque décompte "
            "est vu une fois, même si d'autres arrivent entre deux pages. Après une "
            "interruption, reprenez avec `since` = la dernière position traitée."
        ),
        parameters=[MutuelleFeedQuerySerializer],
        responses={
            200: MutuelleStatementPageSerializer,
            **refusal(400, gettext_lazy("Paramètre invalide (since, cursor, page_size).")),
            **COMMON_REFUSALS,
        },
        tags=TAGS,
    )
    def get(self, request):
        page = FeedPage(request)
        documents, has_more = feed.feed_page(
            mutuelle_of(request), after=page.after, size=page.page_size
        )
        log_client_read(client_of(request), LIST_ACTION, records=len(documents))
        return page.response(documents, has_more)


class StatementView(MutuelleAPIView):
    required_scopes = [STATEMENTS_READ]

    @extend_schema(
        operation_id="mutuelle_statement",
        summary=gettext_lazy("Un décompte du flux"),
        parameters=[STATEMENT_ID],
        responses={200: MutuelleStatementSerializer, **NOT_FOUND, **COMMON_REFUSALS},
        tags=TAGS,
    )
    def get(self, request, public_id):
        found = feed.released_document(mutuelle_of(request), public_id)
        if found is None:
            raise Http404
        document, transmission = found
        log_client_read(
            client_of(request),
            READ_ACTION,
            records=1,
            insured_person_id=transmission.statement.beneficiary_id,
        )
        return Response(document)


class StatementTotalsView(MutuelleAPIView):
    required_scopes = [STATEMENTS_READ]

    @extend_schema(
        operation_id="mutuelle_statement_totals",
        summary=gettext_lazy("Totaux quotidiens de rapprochement"),
        description=gettext_lazy(
            "Pour chaque jour de l'intervalle (92 jours au plus) : nombre de décomptes et de "
            "lignes, somme de chaque montant des lignes et de chaque code de retenue. Le jour "
            "d'un décompte est celui de sa mise à disposition dans le flux, à Paris "
            "(`released_on` du décompte) : les totaux d'un jour terminé ne changent plus et "
            "égalent les sommes des décomptes du flux de ce jour."
        ),
        parameters=[MutuelleStatementTotalsQuerySerializer],
        responses={
            200: MutuelleStatementTotalsSerializer,
            **refusal(400, gettext_lazy("Dates invalides, inversées ou intervalle trop long.")),
            **COMMON_REFUSALS,
        },
        tags=TAGS,
    )
    def get(self, request):
        query = MutuelleStatementTotalsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = feed.daily_totals(
            mutuelle_of(request),
            query.validated_data["from"],
            query.validated_data["to"],
            now=timezone.now(),
        )
        return Response({"timezone": str(FEED_TIMEZONE), "days": days})


def already_answered(conflict: acknowledgements.AnswerConflict) -> Response:
    row = conflict.transmission
    if row.status == acknowledgements.Status.ACKNOWLEDGED:
        detail = _("Ce décompte a déjà été accusé : il ne peut plus être rejeté.")
    elif row.status == acknowledgements.Status.REJECTED:
        detail = _(
            "Ce décompte a déjà été rejeté (motif %(code)s) : la réponse ne peut plus changer."
        ) % {"code": row.rejection_code}
    else:
        detail = _("Ce décompte a déjà reçu une autre réponse.")
    return problem(
        "statement-already-answered",
        _("Décompte déjà traité"),
        detail,
        409,
        current=acknowledgements.answer_of(row),
    )


ANSWER_REFUSALS = {
    **NOT_FOUND,
    **refusal(
        409,
        gettext_lazy(
            "Le décompte a déjà reçu l'autre réponse (ou un autre motif de rejet), ou la clé "
            "d'idempotence a déjà servi pour une autre requête."
        ),
    ),
    **refusal(415, gettext_lazy("Corps de requête autre que JSON.")),
    **COMMON_REFUSALS,
}


class StatementAcknowledgeView(IdempotentPostMixin, MutuelleAPIView):
    required_scopes = [STATEMENTS_ACK]

    @extend_schema(
        operation_id="mutuelle_statement_acknowledge",
        summary=gettext_lazy("Accuser réception d'un décompte"),
        description=gettext_lazy(
            "La mutuelle a pris le décompte en charge. Accuser deux fois ne change rien et "
            "répond de même ; un décompte rejeté ne peut plus être accusé (409)."
        ),
        request=None,
        parameters=[STATEMENT_ID, IDEMPOTENCY_PARAMETER],
        responses={
            200: MutuelleStatementAnswerSerializer,
            **refusal(400, gettext_lazy("En-tête Idempotency-Key vide ou trop long.")),
            **ANSWER_REFUSALS,
        },
        tags=TAGS,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def handle_post(self, request, public_id):
        try:
            row = acknowledgements.acknowledge(mutuelle_of(request), public_id, now=timezone.now())
        except acknowledgements.AnswerConflict as conflict:
            return already_answered(conflict)
        if row is None:
            raise Http404
        return Response(acknowledgements.answer_of(row))


class StatementRejectView(IdempotentPostMixin, MutuelleAPIView):
    required_scopes = [STATEMENTS_ACK]

    @extend_schema(
        operation_id="mutuelle_statement_reject",
        summary=gettext_lazy("Rejeter un décompte"),
        description=gettext_lazy(
            "La mutuelle ne prend pas le décompte en charge, pour un motif codé. Rejeter de "
            "nouveau avec le même motif et la même précision répond de même ; un décompte accusé, "
            "ou rejeté pour un autre motif, est refusé (409). Motif inconnu : 400, rien n'est "
            "changé."
        ),
        request=MutuelleStatementRejectSerializer,
        parameters=[STATEMENT_ID, IDEMPOTENCY_PARAMETER],
        responses={
            200: MutuelleStatementAnswerSerializer,
            **refusal(
                400,
                gettext_lazy(
                    "Motif inconnu, précision manquante pour « other », ou en-tête "
                    "Idempotency-Key vide ou trop long."
                ),
            ),
            **ANSWER_REFUSALS,
        },
        tags=TAGS,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def handle_post(self, request, public_id):
        reason = MutuelleStatementRejectSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        try:
            row = acknowledgements.reject(
                mutuelle_of(request),
                public_id,
                code=reason.validated_data["code"],
                detail=reason.validated_data["detail"],
                now=timezone.now(),
            )
        except acknowledgements.AnswerConflict as conflict:
            return already_answered(conflict)
        if row is None:
            raise Http404
        return Response(acknowledgements.answer_of(row))
