"""``{% case_messages case %}``: the thread of a case and the form to write on it."""

from __future__ import annotations

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from organizations import uploads

from ..selectors import thread
from ..services import MAX_FILES, messages_mark_read
from ..views import DRAFT_SESSION_KEY

register = template.Library()


@register.inclusion_tag("correspondence/_panel.html", takes_context=True)
def case_messages(context, case):
    """The panel for the person reading the page; opening the page reads the other side's messages."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if case is None or not getattr(case, "case_number", ""):
        return {"show": False}  # a draft: nobody at the municipality reads it yet
    data = thread(case=case, user=user) if user is not None else None
    if data is None:
        return {"show": False}
    content_type = ContentType.objects.get_for_model(type(case))
    draft = {}
    stored = request.session.get(DRAFT_SESSION_KEY)
    if stored and stored.get("case") == f"{content_type.pk}:{case.pk}":
        draft = request.session.pop(DRAFT_SESSION_KEY)
    messages_mark_read(case=case, by=user)
    return {
        "show": True,
        "registered": bool(getattr(case, "case_number", "")),
        "messages": data["messages"],
        "is_staff": data["is_staff"],
        "action": reverse(
            "correspondence:message_send",
            kwargs={"content_type_id": content_type.pk, "object_id": case.pk},
        ),
        "draft": draft,
        "csrf_token": context.get("csrf_token"),
        "file_help": uploads.help_text(),
        "max_files": MAX_FILES,
    }
