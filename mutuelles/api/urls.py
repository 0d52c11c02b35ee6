"""Routes of the mutuelle API, under /api/v1/mutuelle/ (names prefixed `mutuelle-`)."""

from django.urls import path

from mutuelles.api import statements

# Statement ids are UUIDs, taken as any string so that a malformed one gets the API's 404
# problem document rather than Django's HTML page.
urlpatterns = [
    # Statements (helper FEED)
    path("statements/", statements.StatementFeedView.as_view(), name="mutuelle-statements"),
    path(
        "statements/totals/",
        statements.StatementTotalsView.as_view(),
        name="mutuelle-statement-totals",
    ),
    path(
        "statements/<str:public_id>/",
        statements.StatementView.as_view(),
        name="mutuelle-statement",
    ),
    path(
        "statements/<str:public_id>/acknowledge/",
        statements.StatementAcknowledgeView.as_view(),
        name="mutuelle-statement-acknowledge",
    ),
    path(
        "statements/<str:public_id>/reject/",
        statements.StatementRejectView.as_view(),
        name="mutuelle-statement-reject",
    ),
]
