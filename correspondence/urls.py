from django.urls import path

from . import views

app_name = "correspondence"

urlpatterns = [
    path(
        "meddelanden/<int:content_type_id>/<int:object_id>/skicka/",
        views.message_send_view,
        name="message_send",
    ),
    path("meddelanden/bilaga/<int:pk>/", views.attachment_download, name="attachment_download"),
]
