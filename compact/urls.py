"""The compact's pages under /overenskommelse/: public, joining and leaving, and its management."""

from django.urls import path

from . import views

app_name = "compact"

urlpatterns = [
    path("overenskommelse/<slug:slug>/", views.compact_public, name="compact"),
    path(
        "overenskommelse/<slug:slug>/medlemskap/<str:action>/",
        views.compact_membership,
        name="compact_membership",
    ),
    path("overenskommelse/<slug:slug>/hantera/", views.compact_manage, name="compact_manage"),
    path("overenskommelse/<slug:slug>/redigera/", views.compact_edit, name="compact_edit"),
    path("overenskommelse/<slug:slug>/utvardering/", views.compact_evaluation, name="compact_evaluation"),
    path(
        "overenskommelse/<slug:slug>/utvardering/<int:pk>/rapport/",
        views.compact_evaluation_document,
        name="compact_evaluation_document",
    ),
    path("overenskommelse/atagande/<int:pk>/status/", views.commitment_status, name="commitment_status"),
]
