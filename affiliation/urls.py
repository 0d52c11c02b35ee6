from django.urls import path

from affiliation.views import account, css, documents
from affiliation.views import requests as request_views

app_name = "affiliation"

# One section per area; keep each area's routes together.
urlpatterns = [
    # --- Affiliation requests (demande d'affiliation) ----------------------------------------
    path("demande-affiliation/", request_views.request_start, name="request_start"),
    path(
        "demande-affiliation/<str:reference>/",
        request_views.request_detail,
        name="request_detail",
    ),
    path(
        "demande-affiliation/<str:reference>/identite/",
        request_views.request_identity,
        name="request_identity",
    ),
    path(
        "demande-affiliation/<str:reference>/documents/",
        request_views.request_upload,
        name="request_upload",
    ),
    path(
        "demande-affiliation/<str:reference>/documents/<uuid:document_id>/",
        request_views.request_document,
        name="request_document",
    ),
    path(
        "demande-affiliation/<str:reference>/documents/<uuid:document_id>/retirer/",
        request_views.request_document_delete,
        name="request_document_delete",
    ),
    path(
        "demande-affiliation/<str:reference>/envoyer/",
        request_views.request_submit,
        name="request_submit",
    ),
    path(
        "demande-affiliation/<str:reference>/repondre/",
        request_views.request_complete,
        name="request_complete",
    ),
    # --- The insured person's space: linking, file, life events ----------------------------
    path("mon-espace/", account.my_space, name="my_space"),
    path("mon-espace/relier-mon-dossier/", account.link_account, name="link_account"),
    path("mon-espace/adresse/", account.change_address, name="change_address"),
    path("mon-espace/coordonnees-bancaires/", account.bank_details, name="bank_details"),
    path(
        "mon-espace/beneficiaires/<int:rank>/medecin-traitant/",
        account.attending_doctor,
        name="attending_doctor",
    ),
    path(
        "mon-espace/beneficiaires/<int:rank>/autonomie/",
        account.request_autonomy,
        name="request_autonomy",
    ),
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
    path("complementaire-sante-solidaire/simulateur/", css.simulator, name="css_simulator"),
    path("complementaire-sante-solidaire/demande/", css.application, name="css_application"),
]
