from django.urls import path

from reimbursements.api import views

# Names are prefixed "reimbursements-" since every app's API shares the "api-v1" namespace.
urlpatterns = [
    path(
        "simulations/care-sheet/",
        views.CareSheetSimulationView.as_view(),
        name="reimbursements-simulate-care-sheet",
    ),
]
