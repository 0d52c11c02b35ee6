"""Every refusal of the mutuelle API as an RFC 9457 problem document.

A mutuelle's software handles one error shape: the same `type`/`title`/`status`/`detail` for a
missing token, a missing scope, an unknown id, a throttled client or invalid data (then with
`invalid_params`, as everywhere in cpam-portal: `cpam_portal/problems.py`).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from cpam_portal.problems import (
    PROBLEM_CONTENT_TYPE,
    invalid_params_from_errors,
    problem_response,
)

PROBLEM_TYPE_PREFIX = "urn:cpam-portal:problem:"


def problem(type_code: str, title: str, detail: str, status_code: int, **extra):
    """A problem document that is not about invalid fields (those use `problem_response`)."""
    body = {
        "type": PROBLEM_TYPE_PREFIX + type_code,
        "title": str(title),
        "status": status_code,
        "detail": str(detail),
        **extra,
    }
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc, context):
    """DRF's exception handler, answering problem documents (headers kept: WWW-Authenticate...)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500, without details
    if isinstance(exc, exceptions.ValidationError):
        answer = problem_response(
            _("Données invalides"), invalid_params_from_errors(exc.detail), status=400
        )
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        answer = problem(
            "not-authenticated",
            _("Authentification requise"),
            _("Présentez un jeton d'accès valide (OAuth 2.0, client credentials)."),
            response.status_code,
        )
    elif isinstance(exc, exceptions.PermissionDenied):
        answer = problem(
            "forbidden",
            _("Accès refusé"),
            _("Votre client n'a pas le droit (scope) que demande cette opération."),
            status.HTTP_403_FORBIDDEN,
        )
    elif isinstance(exc, exceptions.NotFound):
        answer = problem(
            "not-found",
            _("Introuvable"),
            _("Cette ressource n'existe pas ou n'est pas accessible à votre client."),
            status.HTTP_404_NOT_FOUND,
        )
    elif isinstance(exc, exceptions.Throttled):
        answer = problem(
            "throttled",
            _("Trop de requêtes"),
            _("Réessayez dans %(seconds)s secondes.") % {"seconds": int(exc.wait or 1)},
            status.HTTP_429_TOO_MANY_REQUESTS,
        )
    else:
        answer = problem(
            exc.default_code.replace("_", "-"),
            exc.default_detail,
            exc.detail if isinstance(exc.detail, str) else exc.default_detail,
            response.status_code,
        )
    for header, value in response.headers.items():
        if header.lower() in {"www-authenticate", "retry-after", "allow"}:
            answer[header] = value
    return answer
