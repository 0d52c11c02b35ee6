"""Session and access guards shared by every app."""

import time

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "cpam_session_started_at"


class AbsoluteSessionTimeoutMiddleware:
    """Ends a session SESSION_ABSOLUTE_SECONDS after login, however active it stayed.

    The idle timeout is the session cookie age, renewed on each request; this one is not
    renewed (ASVS 7.3.2, NIST 800-63B AAL2: 12 hours).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Votre session a expiré : reconnectez-vous."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """Staff reach the back office only once their account has a second factor.

    allauth asks for that factor at every login once it exists, so a staff session inside the
    admin has always passed it. Without one, the staff member is sent to set it up first.
    """

    ADMIN_PREFIX = "/admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(self.ADMIN_PREFIX)
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "L'espace agents exige une double authentification : "
                    "activez-la avant de continuer."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """Pages seen by a logged-in person are never kept by a browser or proxy cache (ASVS 14.3.2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
