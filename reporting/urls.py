from django.urls import path

from workflows.views import transition

from . import views

app_name = "reporting"

urlpatterns = [
    # staff
    path("aterrapportering/", views.index, name="index"),
    path("aterrapportering/statistik/", views.statistics, name="statistics"),
    path("aterkrav/", views.reclaims, name="reclaims"),
    path("bidrag/program/<int:pk>/aterrapportering/", views.requirement, name="requirement"),
    # the applicant
    path("aterrapportering/mina/", views.my_reports, name="my_reports"),
    # one report
    path("aterrapportering/<int:pk>/", views.report_detail, name="report_detail"),
    path("aterrapportering/<int:pk>/redovisa/", views.report_edit, name="report_edit"),
    path(
        "aterrapportering/<int:pk>/steg/<str:name>/",
        transition,
        {"case_model": "reporting.FollowUpReport"},
        name="report_transition",
    ),
    path("aterrapportering/<int:pk>/anteckningar/", views.report_notes, name="report_notes"),
    path("aterrapportering/<int:pk>/motprestation/", views.report_commitment, name="report_commitment"),
    path("aterrapportering/<int:pk>/filer/<int:file_pk>/", views.report_file, name="report_file"),
    path("aterrapportering/<int:pk>/aterkrav/", views.reclaim_propose, name="reclaim_propose"),
    # one reclaim
    path("aterkrav/<int:pk>/", views.reclaim_detail, name="reclaim_detail"),
    path(
        "aterkrav/<int:pk>/steg/<str:name>/",
        transition,
        {"case_model": "reporting.Reclaim"},
        name="reclaim_transition",
    ),
    path("aterkrav/<int:pk>/brev/", views.reclaim_letter, name="reclaim_letter"),
]
