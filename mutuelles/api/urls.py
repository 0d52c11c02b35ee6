"""Routes of the mutuelle API, under /api/v1/mutuelle/ (names prefixed `mutuelle-`)."""

from django.urls import path

from mutuelles.api import eligibility, members

urlpatterns = [
    # --- Members (helper MEMBERS) ------------------------------------------------------------
    path("members/", members.MembersView.as_view(), name="mutuelle-members"),
    path("members/<str:member_id>/", members.MemberView.as_view(), name="mutuelle-member"),
    path(
        "members/<str:member_id>/end/",
        members.MemberEndView.as_view(),
        name="mutuelle-member-end",
    ),
    path("eligibility/", eligibility.EligibilityView.as_view(), name="mutuelle-eligibility"),
]
