from django.urls import path

from mutuelles import views

app_name = "mutuelles"

# The insured person's complementary cover, inside "Mon espace".
urlpatterns = [
    path("mon-espace/complementaire/", views.contracts, name="contracts"),
    path("mon-espace/complementaire/declarer/", views.declare_contract, name="declare_contract"),
    path("mon-espace/complementaire/conflit/", views.resolve_conflict, name="resolve_conflict"),
    path(
        "mon-espace/complementaire/<int:pk>/confirmer/",
        views.confirm_contract,
        name="confirm_contract",
    ),
    path(
        "mon-espace/complementaire/<int:pk>/refuser/",
        views.decline_contract,
        name="decline_contract",
    ),
]
