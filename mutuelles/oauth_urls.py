"""The OAuth 2.0 endpoints the mutuelles' clients use: token (client credentials) and revocation.

Only these two of django-oauth-toolkit's views are exposed: no authorization page, no
application self-registration (staff create clients in the back office).
"""

from django.urls import path
from oauth2_provider import views

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="oauth-token"),
    path("revoke/", views.RevokeTokenView.as_view(), name="oauth-revoke"),
]
