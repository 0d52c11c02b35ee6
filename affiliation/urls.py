from django.urls import path

from affiliation.views import documents

app_name = "affiliation"

# One section per area; keep each area's routes together.
urlpatterns = [
    # --- Affiliation requests (demande d'affiliation) ----------------------------------------
    # --- The insured person's space: linking, file, life events, complementary cover ----------
    # --- Attestations, cards and public verification ---------------------------------------
    path("mon-espace/attestations/", documents.attestations, name="attestations"),
    path(
        "mon-espace/documents/<int:pk>/telecharger/",
        documents.download_document,
        name="download_document",
    ),
    path("mon-espace/cartes/", documents.cards, name="cards"),
    path("mon-espace/cartes/<str:kind>/commander/", documents.order_card, name="order_card"),
    path("mon-espace/cartes/commandes/<int:pk>/", documents.card_order, name="card_order"),
    path("verifier/", documents.verify, name="verify"),
    path("verifier/<str:code>/", documents.verify_code, name="verify_code"),
    # --- Complémentaire santé solidaire -------------------------------------------------------
]
