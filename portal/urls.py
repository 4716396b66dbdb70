from django.urls import path

from workflows.views import transition

from . import views

app_name = "portal"

urlpatterns = [
    path("beslutsbrev/", views.my_letters, name="my_letters"),
    path("kommun/", views.municipalities, name="municipalities"),
    path("kommun/<slug:slug>/", views.start, name="start"),
    path("kommun/<slug:slug>/program/<int:pk>/", views.program, name="program"),
    path("kommun/<slug:slug>/foreningar/", views.directory, name="directory"),
    path("kommun/<slug:slug>/foreningar/<int:pk>/", views.organisation, name="organisation"),
    path("kommun/<slug:slug>/behov-och-initiativ/", views.board, name="board"),
    path("kommun/<slug:slug>/behov-och-initiativ/nytt/", views.post_new, name="post_new"),
    path("kommun/<slug:slug>/behov-och-initiativ/granskning/", views.moderation, name="moderation"),
    path("kommun/<slug:slug>/behov-och-initiativ/<int:pk>/", views.post_detail, name="post"),
    path("kommun/<slug:slug>/behov-och-initiativ/<int:pk>/svara/", views.post_respond, name="post_respond"),
    path(
        "kommun/<slug:slug>/behov-och-initiativ/<int:pk>/steg/<str:name>/",
        transition,
        {"case_model": "portal.BoardPost"},
        name="post_transition",
    ),
    path("kommun/<slug:slug>/behov-och-initiativ/<int:pk>/partnerskap/", views.post_refer, name="post_refer"),
    path("kommun/<slug:slug>/behov-och-initiativ/<int:pk>/program/", views.post_program, name="post_program"),
    path("kommun/<slug:slug>/vagledning/", views.guidance, name="guidance"),
    path("kommun/<slug:slug>/vagledning/kontakt/ny/", views.contact_edit, name="contact_new"),
    path("kommun/<slug:slug>/vagledning/kontakt/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("kommun/<slug:slug>/vagledning/program/<int:pk>/", views.program_guide, name="program_guide"),
    path("organisationer/<int:pk>/katalog/", views.listing_edit, name="listing_edit"),
    # the digital notice board
    path("kommun/<slug:slug>/anslagstavla/", views.notices, name="notices"),
    path("kommun/<slug:slug>/anslagstavla/arkiv/", views.notices_archive, name="notices_archive"),
    path("kommun/<slug:slug>/anslagstavla/atom/", views.notices_feed, name="notices_feed"),
    path("kommun/<slug:slug>/anslagstavla/nytt/", views.notice_new, name="notice_new"),
    path("kommun/<slug:slug>/anslagstavla/<int:pk>/dokument/", views.notice_document, name="notice_document"),
    # open calls as data (docs/open-data.md)
    path("kommun/<slug:slug>/utlysningar.json", views.open_calls_json, name="open_calls_json"),
    path("kommun/<slug:slug>/utlysningar/atom/", views.open_calls_feed, name="open_calls_feed"),
    path("utlysningar.json", views.open_calls_json, name="all_open_calls_json"),
    path("utlysningar/atom/", views.open_calls_feed, name="all_open_calls_feed"),
    # the accessibility statement
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("tillganglighet/anmalningar/", views.barrier_reports, name="barrier_reports"),
    path("tillganglighet/anmalningar/<int:pk>/", views.barrier_report, name="barrier_report"),
]
