"""Every URL of correspondence, and who may reach it."""

from django.contrib.contenttypes.models import ContentType

from ..authz import Action, Page
from ..grants.factories import application_in, pdf_upload

#: the applicant's organisation and the caseworkers who handle the application
PARTIES = frozenset({"applicant", "caseworker"})


def _case(world):
    application = application_in(world, "submitted", key="app-submitted")
    return {
        "content_type_id": ContentType.objects.get_for_model(type(application)).pk,
        "object_id": application.pk,
    }


def _attachment(world):
    from correspondence.services import message_send

    if "message-file" not in world.objects:
        application = application_in(world, "submitted", key="app-submitted")
        message = message_send(
            case=application,
            by=world.users["caseworker"],
            body="Se bifogad fil.",
            files=[pdf_upload("villkor.pdf")],
        )
        world.objects["message-file"] = message.attachments.get()
    return {"pk": world.objects["message-file"].pk}


URLS = [
    Action("correspondence:message_send", PARTIES, kwargs=_case, data=lambda w: {"body": "Hej!"}),
    Page("correspondence:attachment_download", PARTIES, kwargs=_attachment, html=False),
]
