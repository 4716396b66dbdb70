"""The thread's two edges: writing a message (from the panel on any case page) and a file's download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from workflows.storage import file_download

from .adapters import adapter_for
from .forms import MessageForm
from .models import MessageAttachment
from .selectors import attachment_visible
from .services import message_send, party

#: where the panel finds what was refused and the text that was written, once
DRAFT_SESSION_KEY = "correspondence_draft"


def _case(content_type_id: int, object_id: int):
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None:
        raise Http404
    try:
        adapter_for(model)
    except LookupError:
        raise Http404 from None
    return get_object_or_404(model, pk=object_id)


@login_required
@require_POST
def message_send_view(request, content_type_id, object_id):
    case = _case(content_type_id, object_id)
    if party(request.user, case) is None:
        raise Http404
    back = adapter_for(case).url(case) + "#meddelanden"
    form = MessageForm(request.POST, request.FILES)
    form.is_valid()
    data = form.cleaned_data
    try:
        message_send(
            case=case,
            by=request.user,
            body=data.get("body", ""),
            files=request.FILES.getlist("files"),
            internal=bool(data.get("internal")),
        )
    except ValidationError as exc:
        request.session[DRAFT_SESSION_KEY] = {
            "case": f"{content_type_id}:{object_id}",
            "body": request.POST.get("body", ""),
            "internal": bool(data.get("internal")),
            "errors": exc.messages,
        }
    except PermissionDenied:
        raise Http404 from None
    return redirect(back)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(MessageAttachment.objects.select_related("message"), pk=pk)
    if not attachment_visible(attachment=attachment, user=request.user):
        raise Http404
    return file_download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
