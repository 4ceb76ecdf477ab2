"""URLs of the prize draw, included by competitions/quizzes/urls.py (namespace "quizzes")."""

from django.urls import path

from . import prize_views

urlpatterns = [
    path("<int:quiz_id>/draw/", prize_views.draw_page, name="prize_draw"),
    path("<int:quiz_id>/draw/eligible.txt", prize_views.eligible_list, name="prize_eligible_list"),
    path("<int:quiz_id>/prize/claim/", prize_views.claim, name="prize_claim"),
]
