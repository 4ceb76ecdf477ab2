"""Participant-facing quiz URLs, under /quiz/ (see kepu/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "quizzes"

urlpatterns = []

# --- prize draw (抽奖) and winners' claims: competitions/quizzes/prize_urls.py ---------------
from .prize_urls import urlpatterns as prize_urlpatterns  # noqa: E402

urlpatterns += prize_urlpatterns
