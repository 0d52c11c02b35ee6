from rest_framework.routers import DefaultRouter

from directory.api import views

# Names are prefixed "directory-" since every app's API shares the "api-v1" namespace.
router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("funds", views.FundViewSet, basename="directory-fund")
router.register("offices", views.OfficeViewSet, basename="directory-office")

urlpatterns = router.urls
