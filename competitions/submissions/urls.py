"""Public contest URLs, under /contest/ (see kepu/urls.py)."""

from django.urls import path

from . import views as entry_views
from .results.urls import urlpatterns as results_urlpatterns

app_name = "contests"

# --- entries and their files: competitions/submissions/views.py -----------------------------
urlpatterns = [
    path("<int:contest_id>/enter/", entry_views.enter, name="enter"),
    path("entries/", entry_views.my_entries, name="my_entries"),
    path("entries/<uuid:public_id>/edit/", entry_views.edit, name="entry_edit"),
    path("entries/<uuid:public_id>/upload/", entry_views.upload, name="entry_upload"),
    path("entries/<uuid:public_id>/files/", entry_views.entry_files, name="entry_files"),
    path(
        "entries/<uuid:public_id>/files/<int:file_id>/remove/",
        entry_views.remove_file,
        name="entry_file_remove",
    ),
    path(
        "entries/<uuid:public_id>/files/<int:file_id>/replace/",
        entry_views.replace_file,
        name="entry_file_replace",
    ),
    path("entries/<uuid:public_id>/submit/", entry_views.submit, name="entry_submit"),
    path("entries/<uuid:public_id>/withdraw/", entry_views.withdraw, name="entry_withdraw"),
    path("entries/<uuid:public_id>/receipt/", entry_views.receipt, name="entry_receipt"),
    path("files/<int:file_id>/", entry_views.entry_file, name="entry_file"),
    path("files/<int:file_id>/video/", entry_views.entry_file_video, name="entry_file_video"),
    path("files/<int:file_id>/poster/", entry_views.entry_file_poster, name="entry_file_poster"),
]

# --- results, exhibition and award certificates: competitions/submissions/results/urls.py ----
urlpatterns += results_urlpatterns
