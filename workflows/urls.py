from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("kallkod/", views.source, name="source"),
    path("kallkod/bidra.zip", views.source_archive, name="source_archive"),
    path("historik/<str:app_label>/<str:model>/<int:pk>/", views.history, name="history"),
]

# Committee meetings (sammanträden)
from meetings import views as meeting_views  # noqa: E402

urlpatterns += [
    path("sammantraden/", meeting_views.meeting_index, name="meetings"),
    path("namnder/<int:committee_pk>/sammantraden/", meeting_views.meeting_list, name="meeting_list"),
    path(
        "namnder/<int:committee_pk>/sammantraden/nytt/", meeting_views.meeting_create, name="meeting_create"
    ),
    path("sammantraden/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("sammantraden/<int:pk>/narvaro/", meeting_views.meeting_attendance, name="meeting_attendance"),
    path("sammantraden/<int:pk>/foredragningslista/", meeting_views.meeting_agenda, name="meeting_agenda"),
    path("sammantraden/<int:pk>/beslut/<int:group>/", meeting_views.meeting_decide, name="meeting_decide"),
    path("sammantraden/<int:pk>/justering/", meeting_views.minutes_approve, name="minutes_approve"),
    path("sammantraden/<int:pk>/anslag/", meeting_views.meeting_post, name="meeting_post"),
    path(
        "sammantraden/<int:pk>/dokument/skapa/", meeting_views.documents_make, name="meeting_documents_make"
    ),
    path(
        "sammantraden/<int:pk>/dokument/<int:document_pk>/",
        meeting_views.document_download,
        name="meeting_document",
    ),
    path(
        "sammantraden/<int:pk>/steg/<str:name>/",
        views.transition,
        {"case_model": "meetings.Meeting"},
        name="meeting_transition",
    ),
    path("sammantraden/punkter/<int:pk>/jav/", meeting_views.item_recusal, name="item_recusal"),
    path(
        "sammantraden/punkter/<int:pk>/overklagande/", meeting_views.appeal_register, name="appeal_register"
    ),
    path("overklaganden/<int:pk>/", meeting_views.appeal_resolve, name="appeal_resolve"),
]
