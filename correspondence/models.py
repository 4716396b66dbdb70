"""Messages on a case: the organisation and the municipality's staff write to each other on the
case page.  A message knows its case by content type and id (any case type that registers a
``CorrespondenceAdapter``); an internal note is the staff's own and the organisation never sees it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("message")
        COMPLETION_REQUEST = "completion_request", _("completion request")
        COMPLETION_ANSWER = "completion_answer", _("answer to a completion request")

    class Side(models.TextChoices):
        ORGANISATION = "organisation", _("the organisation")
        STAFF = "staff", _("the municipality")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="case_messages"
    )
    #: the case's municipality, so that staff find the messages of their own municipality's cases
    municipality = models.ForeignKey("organizations.Municipality", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("written by"), max_length=20, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.MESSAGE)
    body = models.TextField(_("text"))
    internal = models.BooleanField(_("internal note"), default=False)
    due_date = models.DateField(_("answer by"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["organisation", "side", "internal"]),
            models.Index(fields=["municipality", "side", "internal"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(internal=True, side="organisation"),
                name="correspondence_internal_is_staff",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.author}"


def _attachment_path(instance, filename):
    return f"messages/{uuid.uuid4().hex}"


class MessageAttachment(models.Model):
    """A file sent with a message, checked and stored like every upload of the register."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class MessageRead(models.Model):
    """A person has read a message (the read receipt the writing side sees)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="message_read_once")]

    def __str__(self):
        return f"{self.user} {self.read_at:%Y-%m-%d %H:%M}"
