"""Public contest URLs, under /contest/ (see kepu/urls.py)."""

app_name = "contests"

urlpatterns = []
