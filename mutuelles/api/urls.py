"""Routes of the mutuelle API, under /api/v1/mutuelle/ (names prefixed `mutuelle-`)."""

urlpatterns = []
