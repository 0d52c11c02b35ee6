from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cpam_portal import views

# The admin login goes through allauth: its rate limits and second factor apply to staff too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Assurance Maladie — espace agents")
admin.site.site_title = _("Espace agents")
admin.site.index_title = _("Back-office de la caisse")

api_v1 = [
    path("directory/", include("directory.api.urls")),
    path("", include("reimbursements.api.urls")),
    path("", include("allowances.api.urls")),
    path("mutuelle/", include("mutuelles.api.urls")),
    path("oauth/", include("mutuelles.oauth_urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="1.0.0"), name="schema"),
    # The split view loads its script from our own URL, so the CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-v1:schema"), name="docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("langue/<str:language>/", views.switch_language, name="switch_language"),
    path("compte/", include("allauth.urls")),
    path("annuaire/", include("directory.urls")),
    path("", include("affiliation.urls")),
    path("", include("reimbursements.urls")),
    path("", include("allowances.urls")),
    path("", include("mutuelles.urls")),
    path("rendez-vous/", include("appointments.urls")),
    path("api/v1/", include((api_v1, "api-v1"))),
    path("admin/", admin.site.urls),
]
