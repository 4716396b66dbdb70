from django.urls import path

from workflows.views import transition

from . import setup_views, views

app_name = "organizations"

urlpatterns = [
    path("konto/registrera/", views.signup, name="signup"),
    path("konto/registrera/klart/", views.signup_done, name="signup_done"),
    path("konto/bekrafta/<str:token>/", views.verify_email, name="verify_email"),
    path("konto/bekrafta-igen/", views.verify_email_resend, name="verify_email_resend"),
    path("organisationer/", views.organisation_search, name="search"),
    path("organisationer/ny/", views.organisation_register, name="register"),
    path("organisationer/anslut/", views.organisation_join, name="join"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="detail"),
    path("organisationer/<int:pk>/andra/", views.organisation_edit, name="edit"),
    path("organisationer/<int:pk>/personer/", views.organisation_people, name="people"),
    path("organisationer/<int:pk>/konto/", views.organisation_bank_account, name="bank_account"),
    path("organisationer/<int:pk>/dokument/", views.organisation_documents, name="documents"),
    path("organisationer/verksamhet/<int:pk>/", views.activity_edit, name="activity_edit"),
    path("organisationer/kontobyten/<int:pk>/", views.account_change, name="account_change"),
    path(
        "organisationer/kontobyten/<int:pk>/<str:name>/",
        transition,
        {"case_model": "organizations.AccountChange"},
        name="account_change_transition",
    ),
    path("organisationer/kontoverifieringar/<int:pk>/", views.account_verify, name="account_verify"),
    path("organisationer/<int:pk>/anvandare/", views.organisation_members, name="members"),
    path("dokument/<int:pk>/", views.document_download, name="document_download"),
    path(
        "roller/<int:pk>/<str:name>/",
        transition,
        {"case_model": "organizations.OrganisationRole"},
        name="role_transition",
    ),
    # the municipality's set-up (the municipality administrator)
    path("administration/<int:pk>/", setup_views.setup, name="setup"),
    path(
        "administration/<int:municipality_pk>/namnder/ny/",
        setup_views.committee_edit,
        name="committee_create",
    ),
    path("administration/namnder/<int:pk>/", setup_views.committee_edit, name="committee_edit"),
    path("administration/<int:pk>/personal/", setup_views.staff, name="staff"),
    path("administration/<int:pk>/personal/ge-roll/", setup_views.staff_role_grant, name="staff_role_grant"),
    path("administration/roller/<int:pk>/ta-bort/", setup_views.staff_role_revoke, name="staff_role_revoke"),
    path("administration/<int:pk>/delegationer/", setup_views.delegations, name="delegations"),
    path("administration/<int:pk>/delegationer/ny/", setup_views.delegation_create, name="delegation_create"),
    path("administration/delegationer/<int:pk>/avsluta/", setup_views.delegation_end, name="delegation_end"),
]
