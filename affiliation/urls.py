from django.urls import path  # noqa: F401

app_name = "affiliation"

# One section per area; keep each area's routes together.
urlpatterns = [
    # --- Affiliation requests (demande d'affiliation) ----------------------------------------
    # --- The insured person's space: linking, file, life events, complementary cover ----------
    # --- Attestations, cards and public verification ---------------------------------------
    # --- Complémentaire santé solidaire -------------------------------------------------------
]
