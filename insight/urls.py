from django.urls import path

from . import bookkeeping_views, views

app_name = "insight"

urlpatterns = [
    path("kommun/<slug:slug>/beviljat/", views.register, name="register"),
    path("kommun/<slug:slug>/beviljat/organisation/<int:pk>/", views.organisation, name="organisation"),
    path("kommun/<slug:slug>/oppna-data/", views.open_data, name="open_data"),
    path("kommun/<slug:slug>/oppna-data/<int:year>.<str:fmt>", views.open_data_file, name="open_data_file"),
    path("statistik/", views.dashboard, name="dashboard"),
    path("statistik/export/<str:key>.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("bokforing/sie/", bookkeeping_views.sie_export, name="sie_export"),
    path("statistik/namnd/<int:pk>/<int:year>.pdf", views.committee_summary, name="committee_summary"),
]
