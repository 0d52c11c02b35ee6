"""Keyset ("cursor") pagination of the statement feed on `feed_position`.

Why not offsets, nor DRF's `CursorPagination` as is: the feed is read while new rows arrive.
Positions are given in commit order (mutuelles.services.release), so "the rows after position N"
is a stable question: a reader that follows `next` sees every row once, whatever is released
between two pages. The cursor carries nothing but the last position read, encoded so clients
treat it as opaque (we may add to it); `since=<position>` is the same filter, for a reader that
kept the last position it processed and comes back after an outage.

At the end of what exists now, `next` is null and `last_position` says where to resume
(`since=last_position`). A `Link: <…>; rel="next"` header (RFC 8288) repeats `next`.
"""

import base64
import binascii

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR_PARAM = "cursor"
SINCE_PARAM = "since"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# The cursor's version prefix: a later format can still read the cursors clients hold.
CURSOR_PREFIX = "p1:"
MAX_POSITION = 2**63 - 1  # a PostgreSQL bigint


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    """The position a cursor stands for, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not raw.startswith(CURSOR_PREFIX):
        return None
    digits = raw.removeprefix(CURSOR_PREFIX)
    if not digits.isdigit() or int(digits) > MAX_POSITION:
        return None
    return int(digits)


class MutuelleFeedQuerySerializer(serializers.Serializer):
    # The query parameters of the feed (validated here, documented in the schema from it).
    since = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_POSITION,
        help_text=_(
            "Ne renvoyer que les décomptes de position strictement supérieure : la dernière "
            "position traitée, pour reprendre après une interruption."
        ),
    )
    cursor = serializers.CharField(
        required=False,
        max_length=64,
        help_text=_("Curseur opaque : recopiez le lien `next` de la page précédente."),
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
        help_text=_("Nombre de décomptes par page (100 par défaut, 500 au plus)."),
    )

    def validate_cursor(self, value: str) -> int:
        position = decode_cursor(value)
        if position is None:
            raise serializers.ValidationError(
                _("Ce curseur n'est pas valide : reprenez le lien `next` tel quel."),
                code="invalid_cursor",
            )
        return position


class FeedPage:
    """Reads the query parameters, then answers one page of documents with its links."""

    def __init__(self, request):
        query = MutuelleFeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.request = request
        self.page_size: int = query.validated_data["page_size"]
        # A cursor and `since` together (the `next` link keeps `since`): the later one wins.
        self.after: int = max(
            query.validated_data.get("since", 0), query.validated_data.get("cursor", 0)
        )

    def response(self, documents: list[dict], has_more: bool) -> Response:
        last_position = documents[-1]["position"] if documents else self.after
        next_link = None
        if has_more:
            url = self.request.build_absolute_uri()
            url = remove_query_param(url, SINCE_PARAM)
            next_link = replace_query_param(url, CURSOR_PARAM, encode_cursor(last_position))
        body = {"next": next_link, "last_position": last_position, "results": documents}
        response = Response(body)
        if next_link:
            response["Link"] = f'<{next_link}>; rel="next"'
        return response
