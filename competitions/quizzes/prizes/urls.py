"""URLs of the prize draw, included by competitions/quizzes/urls.py (namespace "quizzes")."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:quiz_id>/draw/", views.draw_page, name="prize_draw"),
    path("<int:quiz_id>/draw/eligible.txt", views.eligible_list, name="prize_eligible_list"),
    path("<int:quiz_id>/prize/claim/", views.claim, name="prize_claim"),
]
