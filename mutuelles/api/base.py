"""What every endpoint of the mutuelle API shares: who is calling, with which scopes, how often.

Views inherit `MutuelleAPIView` (or mix `MutuelleAPIMixin` into a generic view) and set
`required_scopes`; they scope every query with `mutuelle_of(request)` before anything else
(permissions check who is calling, the queryset decides what exists:
docs/reliability.md#scoped-querysets). A view that
accepts POST mixes in `IdempotentPostMixin` first and writes `handle_post`.
"""

from django.contrib.auth.models import AnonymousUser
from oauth2_provider.contrib.rest_framework import OAuth2Authentication, TokenHasScope
from rest_framework import permissions, throttling
from rest_framework.views import APIView

from mutuelles.api import idempotency
from mutuelles.api.errors import problem_exception_handler
from mutuelles.models import MutuelleClient


class MutuelleTokenAuthentication(OAuth2Authentication):
    """A bearer token of django-oauth-toolkit; a client-credentials token has no user."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user, token = found
        return (user or AnonymousUser(), token)


def client_of(request) -> MutuelleClient:
    """The API client behind the request's token (checked by `IsMutuelleClient`)."""
    return request.auth.application.mutuelle_client


def mutuelle_of(request):
    return client_of(request).mutuelle


class IsMutuelleClient(permissions.BasePermission):
    """The token belongs to an active client of an active mutuelle."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        application = getattr(token, "application", None)
        client = getattr(application, "mutuelle_client", None) if application else None
        return bool(client and client.is_active and client.mutuelle.is_active)


class MutuelleClientThrottle(throttling.SimpleRateThrottle):
    """A quota per client and per kind of request (DRF keys anonymous callers by address,
    and every client-credentials token is anonymous to it)."""

    def __init__(self):
        # SimpleRateThrottle reads the rate of `scope` here, but the scope is the view's: it is
        # known only in allow_request (as DRF's ScopedRateThrottle does).
        pass

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        application_id = getattr(getattr(request.auth, "application", None), "pk", None)
        if application_id is None:
            return None  # refused by authentication anyway
        return self.cache_format % {"scope": self.scope, "ident": f"client-{application_id}"}


class MutuelleAPIMixin:
    """The mutuelle API's authentication, permissions, throttle and problem documents; mix it
    before a DRF view class (APIView, generics.ListAPIView...)."""

    authentication_classes = [MutuelleTokenAuthentication]
    permission_classes = [IsMutuelleClient, TokenHasScope]
    throttle_classes = [MutuelleClientThrottle]
    required_scopes: list[str] = []
    throttle_scope = "mutuelle_read"

    def get_exception_handler(self):
        return problem_exception_handler


class MutuelleAPIView(MutuelleAPIMixin, APIView):
    pass


class IdempotentPostMixin:
    """Every POST honours an `Idempotency-Key`: the view writes `handle_post`, which runs in the
    transaction that stores its answer."""

    throttle_scope = "mutuelle_write"

    def post(self, request, *args, **kwargs):
        return idempotency.run_once(
            request, client_of(request), lambda: self.handle_post(request, *args, **kwargs)
        )
