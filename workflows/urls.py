from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("kallkod/", views.source, name="source"),
    path("kallkod/bidra.zip", views.source_archive, name="source_archive"),
    path("historik/<str:app_label>/<str:model>/<int:pk>/", views.history, name="history"),
]
