from django.urls import path

from allowances.views import simulator, stoppages

app_name = "allowances"

urlpatterns = [
    # --- Simulator (owner: ij-engine) -----------------------------------------------------------
    path("indemnites-journalieres/simulateur/", simulator.simulator_page, name="simulator"),
    # --- The insured person's daily allowances ------------------------------------------------
    path("mon-espace/indemnites/", stoppages.stoppage_list, name="stoppages"),
    path("mon-espace/indemnites/declarer/", stoppages.declare, name="declare"),
    path(
        "mon-espace/indemnites/attestation/",
        stoppages.payment_attestation,
        name="payment_attestation",
    ),
    path("mon-espace/indemnites/<uuid:public_id>/", stoppages.stoppage_detail, name="stoppage"),
    path("mon-espace/indemnites/<uuid:public_id>/prolongation/", stoppages.extend, name="extend"),
    path("mon-espace/indemnites/<uuid:public_id>/salaires/", stoppages.salaries, name="salaries"),
    path(
        "mon-espace/indemnites/<uuid:public_id>/avis/<uuid:notice_id>/",
        stoppages.notice_scan,
        name="notice_scan",
    ),
]
