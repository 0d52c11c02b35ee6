# TEMPORARY: replaced by the directory API work.
urlpatterns = []
