"""Committee meetings (sammanträden): the secretary's, the members' and the adjusters' pages."""

from django.urls import path

from workflows.views import transition

from . import views

app_name = "meetings"

urlpatterns = [
    path("sammantraden/", views.meeting_index, name="meetings"),
    path("namnder/<int:committee_pk>/sammantraden/", views.meeting_list, name="meeting_list"),
    path("namnder/<int:committee_pk>/sammantraden/nytt/", views.meeting_create, name="meeting_create"),
    path("sammantraden/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("sammantraden/<int:pk>/narvaro/", views.meeting_attendance, name="meeting_attendance"),
    path("sammantraden/<int:pk>/foredragningslista/", views.meeting_agenda, name="meeting_agenda"),
    path("sammantraden/<int:pk>/beslut/<int:group>/", views.meeting_decide, name="meeting_decide"),
    path("sammantraden/<int:pk>/justering/", views.minutes_approve, name="minutes_approve"),
    path("sammantraden/<int:pk>/anslag/", views.meeting_post, name="meeting_post"),
    path("sammantraden/<int:pk>/dokument/skapa/", views.documents_make, name="meeting_documents_make"),
    path(
        "sammantraden/<int:pk>/dokument/<int:document_pk>/",
        views.document_download,
        name="meeting_document",
    ),
    path(
        "sammantraden/<int:pk>/steg/<str:name>/",
        transition,
        {"case_model": "meetings.Meeting"},
        name="meeting_transition",
    ),
    path("sammantraden/punkter/<int:pk>/jav/", views.item_recusal, name="item_recusal"),
    path("sammantraden/punkter/<int:pk>/overklagande/", views.appeal_register, name="appeal_register"),
    path("overklaganden/<int:pk>/", views.appeal_resolve, name="appeal_resolve"),
]
