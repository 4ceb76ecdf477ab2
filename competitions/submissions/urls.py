"""Public contest URLs, under /contest/ (see kepu/urls.py)."""

app_name = "contests"

urlpatterns = []

# --- results, exhibition and award certificates: competitions/submissions/results_urls.py ----
from .results_urls import urlpatterns as results_urlpatterns  # noqa: E402

urlpatterns += results_urlpatterns
