from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.fund_list, name="index"),
    path("recherche/", views.search, name="search"),
    path("caisses/<str:department_code>/", views.fund_detail, name="fund"),
]
