"""Writing on a case's thread and reading it.

A member of the case's organisation or staff allowed to handle the case writes; the message is
logged in the case's history in the same transaction, and the other side gets an e-mail notice
after commit that only links to the case page (never the text: e-mail is not a safe channel for
what the case holds).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import uploads
from organizations.permissions import is_org_user
from organizations.services import document_check_upload
from workflows.services import outbox_enqueue
from workflows.statelog import log_transition

from .adapters import adapter_for
from .models import Message, MessageAttachment, MessageRead

#: the longest message and the most files one message carries
MAX_LENGTH = 10_000
MAX_FILES = 5

#: the transition log's names for a message and an internal note (the state does not change); the
#: history page and the API's history (``workflows``, which cannot import this) leave notes out by
#: this name
LOGGED_MESSAGE = "message"
LOGGED_NOTE = "internal_note"

ORGANISATION = Message.Side.ORGANISATION
STAFF = Message.Side.STAFF


def party(user, case) -> str | None:
    """Which side of the thread ``user`` writes for on ``case``: the organisation, the staff, or
    None (a stranger).  A member of the organisation is always the organisation's side."""
    if user is None or not user.is_authenticated:
        return None
    adapter = adapter_for(case)
    if is_org_user(user, adapter.organisation(case)):
        return ORGANISATION if adapter.visible_to_organisation(case) else None
    if adapter.may_handle(user, case):
        return STAFF
    return None


def case_link(case) -> str:
    return settings.SITE_URL + adapter_for(case).url(case) + "#meddelanden"


def message_send(
    *,
    case,
    by,
    body: str,
    files=(),
    internal: bool = False,
    due_date: dt.date | None = None,
    kind: str = Message.Kind.MESSAGE,
) -> Message:
    """Write on the case's thread; the other side is told by e-mail after commit (not of a note)."""
    adapter = adapter_for(case)
    side = party(by, case)
    if side is None or (internal and side != STAFF):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not adapter.case_number(case):
        raise ValidationError(
            _("Messages can be written once the case is registered."), code="not_registered"
        )
    body = (body or "").strip()
    files = [f for f in files if f]
    errors = []
    if not body:
        errors.append(ValidationError(_("Write a message."), code="required"))
    elif len(body) > MAX_LENGTH:
        errors.append(
            ValidationError(
                _("The message is too long: at most %(limit)s characters.") % {"limit": MAX_LENGTH},
                code="too_long",
            )
        )
    if len(files) > MAX_FILES:
        errors.append(
            ValidationError(_("At most %(limit)s files per message.") % {"limit": MAX_FILES}, code="files")
        )
    checked = []
    for upload in files[:MAX_FILES]:
        try:
            checked.append((upload, document_check_upload(upload), uploads.checksum(upload)))
        except ValidationError as exc:
            errors.extend(ValidationError(f"{upload.name}: {text}", code="file") for text in exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        message = message_record(
            case=case, by=by, side=side, body=body, kind=kind, due_date=due_date, internal=internal
        )
        for upload, mime, sha256 in checked:
            attachment = MessageAttachment(
                message=message,
                original_name=(upload.name or "bilaga")[-200:],
                content_type=mime,
                size=upload.size,
                sha256=sha256,
            )
            attachment.file.save("upload", upload, save=False)
            attachment.save()
        state = getattr(case, "state", "")
        if internal:
            reason = _("Internal note")
        elif side == STAFF:
            reason = _("Message to the organisation")
        else:
            reason = _("Message from the organisation")
        log_transition(case, LOGGED_NOTE if internal else LOGGED_MESSAGE, state, state, by=by, reason=reason)
        if not internal:
            _notify(case=case, message=message)
    return message


def message_record(
    *,
    case,
    by,
    side: str,
    body: str,
    kind: str,
    due_date: dt.date | None = None,
    internal: bool = False,
    notify: bool = False,
) -> Message:
    """A step of the case that is also said on its thread (a completion request and its answer).

    The calling service has checked the permission and logs the step with its own transition, in
    the same transaction; ``notify`` tells the other side as a message does (the completion
    request sends its own letter)."""
    adapter = adapter_for(case)
    message = Message.objects.create(
        content_type=ContentType.objects.get_for_model(type(case)),
        object_id=case.pk,
        organisation=adapter.organisation(case),
        municipality_id=adapter.municipality_id(case),
        author=by,
        side=side,
        kind=kind,
        body=body.strip(),
        internal=internal,
        due_date=due_date,
        created_at=timezone.now(),
    )
    if notify:
        _notify(case=case, message=message)
    return message


def _notify(*, case, message: Message) -> None:
    """An e-mail to the other side with a link to the case page and nothing of the text."""
    adapter = adapter_for(case)
    if message.side == STAFF:
        creator = adapter.creator(case)
        emails = {getattr(creator, "email", ""), adapter.organisation(case).email}
    else:
        emails = {user.email for user in adapter.handlers(case)}
    emails -= {"", message.author.email}
    number = adapter.case_number(case)
    for email in sorted(emails):
        outbox_enqueue(
            key=f"case-message:{message.pk}:{email}",
            to=email,
            subject=_("New message on %(number)s") % {"number": number},
            template="correspondence/email/notice.txt",
            context={"number": number, "link": case_link(case), "to_staff": message.side == ORGANISATION},
        )


def messages_mark_read(*, case, by) -> int:
    """The other side's messages on the case that ``by`` may read are read now; how many were new."""
    side = party(by, case)
    if side is None:
        return 0
    unread = (
        Message.objects.filter(
            content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk, internal=False
        )
        .exclude(side=side)
        .exclude(reads__user=by)
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    rows = [MessageRead(message_id=pk, user=by, read_at=now) for pk in unread]
    MessageRead.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
