"""Routes of the mutuelle API, under /api/v1/mutuelle/ (names prefixed `mutuelle-`).

Ids are UUIDs taken as any string, so that a malformed one gets the API's 404 problem document
rather than Django's HTML page.
"""

from django.urls import path

from mutuelles.api import eligibility, members, statements

urlpatterns = [
    # Members: the mutuelle's half of the link, and their cover.
    path("members/", members.MembersView.as_view(), name="mutuelle-members"),
    path("members/<str:member_id>/", members.MemberView.as_view(), name="mutuelle-member"),
    path(
        "members/<str:member_id>/end/",
        members.MemberEndView.as_view(),
        name="mutuelle-member-end",
    ),
    path("eligibility/", eligibility.EligibilityView.as_view(), name="mutuelle-eligibility"),
    # Statements: the feed, the daily totals, acknowledgements and rejections.
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
