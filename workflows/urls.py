from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("historik/<str:app_label>/<str:model>/<int:pk>/", views.history, name="history"),
]
