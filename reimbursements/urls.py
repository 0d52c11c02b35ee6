from django.urls import path

from reimbursements.views import account, care_sheets, simulator

app_name = "reimbursements"

# One section per area; keep each area's routes together.
urlpatterns = [
    # --- Mes remboursements (the insured person's space) --------------------------------------
    path("mon-espace/remboursements/", account.payments, name="payments"),
    path(
        "mon-espace/remboursements/decomptes/<uuid:public_id>/",
        account.statement_detail,
        name="statement_detail",
    ),
    path(
        "mon-espace/remboursements/releves/<int:year>/<int:month>/",
        account.monthly_statement,
        name="monthly_statement",
    ),
    path("mon-espace/remboursements/export.csv", account.export_csv, name="export_csv"),
    path("mon-espace/remboursements/feuilles-de-soins/", account.care_sheets, name="care_sheets"),
    path(
        "mon-espace/remboursements/feuilles-de-soins/envoyer/",
        care_sheets.submit,
        name="submit_care_sheet",
    ),
    path(
        "mon-espace/remboursements/feuilles-de-soins/<uuid:public_id>/",
        account.care_sheet_detail,
        name="care_sheet_detail",
    ),
    # --- The public simulator (rb-engine's view) -----------------------------------------------
    path("simulateur-remboursement/", simulator.simulator, name="simulator"),
]
