from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("e-arkiv/", views.index, name="index"),
    path("e-arkiv/export/", views.export_start, name="export_start"),
    path("e-arkiv/export/<int:pk>.zip", views.job_download, name="job_download"),
    path("e-arkiv/paket/<int:pk>.zip", views.package_download, name="package_download"),
]
