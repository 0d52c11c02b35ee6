from django.urls import path

from allowances.api import views

# Names are prefixed "allowances-" since every app's API shares the "api-v1" namespace.
urlpatterns = [
    path(
        "simulations/daily-allowance/",
        views.DailyAllowanceSimulationView.as_view(),
        name="allowances-daily-allowance-simulation",
    ),
]
