from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("logga-in/kod/", views.otp_verify, name="otp_verify"),
    path("logga-in/kod/ny-app/", views.otp_setup, name="otp_setup"),
    path("logga-in/lank/", views.login_link, name="login_link"),
    path("logga-in/lank/skickad/", views.login_link_sent, name="login_link_sent"),
    path("logga-in/lank/<str:token>/", views.login_link_use, name="login_link_use"),
    path("logga-in/sso/", oidc.AuthenticateView.as_view(), name="oidc_start"),
    path("logga-in/sso/tillbaka/", oidc.CallbackView.as_view(), name="oidc_callback"),
    path("personuppgifter/", views.personal_data, name="personal_data"),
    path("personuppgifter/export/", views.personal_data_export, name="personal_data_export"),
    path("personuppgifter/radera/", views.personal_data_erase, name="personal_data_erase"),
]
