from django.urls import path

from appointments.views import booking, links, mine

app_name = "appointments"

urlpatterns = [
    # --- The insured person's account ----------------------------------------------------------
    path("", mine.booking_list, name="list"),
    path("prendre/", booking.find_office, name="find_office"),
    path("prendre/<int:service_id>/", booking.book, name="book"),
    path(
        "prendre/<int:service_id>/liste-attente/",
        booking.join_waiting_list,
        name="join_waiting_list",
    ),
    path("<int:pk>/", mine.booking_detail, name="detail"),
    path("<int:pk>/confirmation/", mine.booking_detail, name="confirmed"),
    path("<int:pk>/annuler/", mine.cancel, name="cancel"),
    path("<int:pk>/deplacer/", mine.reschedule, name="reschedule"),
    path("<int:pk>/plus-tot/", mine.join_waiting_list, name="ask_earlier"),
    path("liste-attente/<int:pk>/retirer/", mine.withdraw, name="withdraw"),
    path("propositions/<int:pk>/", mine.offer_detail, name="offer_detail"),
    # --- Signed links from the e-mails (no login) -------------------------------------------
    path("lien/<str:token>/", links.manage, name="manage"),
    path("lien/<str:token>/annuler/", links.manage_cancel, name="manage_cancel"),
    path("lien/<str:token>/deplacer/", links.manage_reschedule, name="manage_reschedule"),
    path("proposition/<str:token>/", links.offer, name="offer"),
]
