from django.urls import path

from affiliation.views import css

app_name = "affiliation"

# One section per area; keep each area's routes together.
urlpatterns = [
    # --- Affiliation requests (demande d'affiliation) ----------------------------------------
    # --- The insured person's space: linking, file, life events, complementary cover ----------
    # --- Attestations, cards and public verification ---------------------------------------
    # --- Complémentaire santé solidaire -------------------------------------------------------
    path("complementaire-sante-solidaire/simulateur/", css.simulator, name="css_simulator"),
    path("complementaire-sante-solidaire/demande/", css.application, name="css_application"),
]
