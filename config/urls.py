from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import SignInView
from organizations.forms import OutboxPasswordResetForm
from workflows import views as workflow_views

urlpatterns = [
    path("", workflow_views.home, name="home"),
    path("logga-in/", SignInView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/aterstall/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("sprak/", set_language, name="set_language"),
    path("", include("accounts.urls")),
    path("", include("organizations.urls")),
    path("", include("workflows.urls")),
    path("", include("meetings.urls")),
    path("", include("grants.urls")),
    path("", include("payments.urls")),
    path("", include("correspondence.urls")),
    path("", include("iop.urls")),
    path("", include("compact.urls")),
    path("", include("awards.urls")),
    path("", include("reporting.urls")),
    path("", include("portal.urls")),
    path("", include("insight.urls")),
    path("", include("archive.urls")),
    path("api/v1/", include("config.api")),
    path("admin/", admin.site.urls),
]
