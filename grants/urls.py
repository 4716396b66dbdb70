from django.urls import path

from workflows.views import transition

from . import decision_views, fl_views, views

app_name = "grants"

urlpatterns = [
    path("bidrag/", views.rounds, name="rounds"),
    path("bidrag/program/", views.programs, name="programs"),
    path("bidrag/program/nytt/", views.program_edit, name="program_create"),
    path("bidrag/program/<int:pk>/", views.program_detail, name="program_detail"),
    path("bidrag/program/<int:pk>/andra/", views.program_edit, name="program_edit"),
    path(
        "bidrag/program/<int:pk>/installningar/<str:section>/", views.program_section, name="program_section"
    ),
    path("bidrag/omgang/<int:pk>/ansok/", views.apply, name="apply"),
    path("bidrag/omgang/<int:pk>/ansokningar/", views.round_applications, name="round_applications"),
    path("bidrag/omgang/<int:pk>/export.<str:fmt>", views.round_export, name="round_export"),
    path("ansokningar/", views.my_applications, name="my_applications"),
    path("ansokningar/<int:pk>/", views.application_detail, name="application_detail"),
    path("ansokningar/<int:pk>/andra/", views.application_edit, name="application_edit"),
    path("ansokningar/<int:pk>/bilagor/", views.attachment_upload, name="attachment_upload"),
    path("ansokningar/<int:pk>/pdf/", views.application_pdf, name="application_pdf"),
    path(
        "ansokningar/<int:pk>/steg/<str:name>/",
        transition,
        {"case_model": "grants.Application"},
        name="application_transition",
    ),
    path("ansokningar/<int:pk>/bekrafta/<str:name>/", views.application_confirm, name="application_confirm"),
    path(
        "ansokningar/<int:pk>/avvisningsbeslut/",
        views.dismissal_letter_download,
        name="dismissal_letter_download",
    ),
    path("ansokningar/<int:pk>/behorighet/", views.eligibility_override, name="eligibility_override"),
    path(
        "ansokningar/<int:pk>/behorighet/kontrollera/", views.eligibility_recheck, name="eligibility_recheck"
    ),
    path("ansokningar/<int:pk>/bedomning/", views.assess, name="assess"),
    path("ansokningar/<int:pk>/jav/", views.conflict_declare, name="conflict_declare"),
    path("ansokningar/bilaga/<int:pk>/", views.attachment_download, name="attachment_download"),
    # förvaltningslagen 11 § and 12 §
    path("ansokningar/<int:pk>/forsening/", fl_views.delay_notice, name="delay_notice"),
    path("ansokningar/<int:pk>/begar-avgorande/", fl_views.decision_request, name="decision_request"),
    path(
        "ansokningar/<int:pk>/begar-avgorande/avsla/",
        fl_views.decision_request_refuse,
        name="decision_request_refuse",
    ),
    path(
        "ansokningar/begaran-om-avgorande/<int:pk>/beslut/",
        fl_views.decision_request_letter,
        name="decision_request_letter",
    ),
    path("handlaggning/", views.inbox, name="inbox"),
    path("handlaggning/uppgift/<int:pk>/ta/", views.task_claim, name="task_claim"),
    path("handlaggning/uppgift/<int:pk>/tilldela/", views.task_assign, name="task_assign"),
    # after the decision
    path(
        "ansokningar/<int:pk>/delegationsbeslut/",
        decision_views.application_decide,
        name="application_decide",
    ),
    path("bidrag/sammantraden/<int:pk>/beslutsbrev/", decision_views.meeting_letters, name="meeting_letters"),
    path(
        "bidrag/sammantraden/<int:pk>/beslutsbrev/skapa/",
        decision_views.meeting_letters_start,
        name="meeting_letters_start",
    ),
    path("beslutsbrev/<int:pk>/", decision_views.letter_download, name="letter_download"),
    path("bidrag/program/<int:pk>/brevmallar/", decision_views.letter_templates, name="letter_templates"),
    path(
        "bidrag/program/<int:pk>/brevmallar/<str:outcome>/",
        decision_views.letter_template_edit,
        name="letter_template_edit",
    ),
    path(
        "bidrag/program/<int:pk>/brevmallar/<str:outcome>/forhandsvisning/",
        decision_views.letter_template_preview,
        name="letter_template_preview",
    ),
]
