from django.urls import path

from workflows.views import transition

from . import views

app_name = "awards"

urlpatterns = [
    # the public
    path("utmarkelser/omgang/<int:pk>/nominera/", views.nominate, name="nominate"),
    path("utmarkelser/omgang/<int:pk>/tack/", views.thanks, name="thanks"),
    path("utmarkelser/pristagare/<slug:slug>/", views.public, name="public"),
    # staff
    path("utmarkelser/", views.index, name="index"),
    path("utmarkelser/omgang/<int:pk>/kandidater/", views.round_candidates, name="round_candidates"),
    path("utmarkelser/omgang/<int:pk>/provning/", views.round_screen, name="round_screen"),
    path("utmarkelser/omgang/<int:pk>/tillkannagivande/", views.round_announce, name="round_announce"),
    path("utmarkelser/kandidater/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path(
        "utmarkelser/kandidater/<int:pk>/steg/<str:name>/",
        transition,
        {"case_model": "awards.Candidate"},
        name="candidate_transition",
    ),
    path("utmarkelser/kandidater/<int:pk>/bedomning/", views.candidate_assess, name="candidate_assess"),
    path("utmarkelser/kandidater/<int:pk>/jav/", views.candidate_conflict, name="candidate_conflict"),
    path("utmarkelser/kandidater/<int:pk>/forslag/", views.candidate_propose, name="candidate_propose"),
    path(
        "utmarkelser/kandidater/<int:pk>/dokument/<str:kind>/",
        views.candidate_document,
        name="candidate_document",
    ),
    path("bidrag/program/<int:pk>/utmarkelse/", views.award_settings, name="settings"),
]
