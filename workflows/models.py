"""The engine shared by every case type: the case base, the diarium, the
outbox and stored documents.  Nothing here knows a particular case type."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin


class StatefulModel(ConcurrentTransitionMixin, models.Model):
    """Base of every model with a state machine.

    Subclasses declare ``state = FSMField(protected=True, ...)`` and their
    transitions.  State changes only through ``workflows.services.perform_transition``.
    ``ConcurrentTransitionMixin`` makes a save fail when another transaction
    changed the state in between, so two people acting at once never both win.
    """

    #: the permission (``app.perm``) that lets a user see this object and its history
    view_permission: str = ""

    class Meta:
        abstract = True

    @property
    def history_url(self) -> str:
        from django.urls import reverse

        return reverse(
            "workflows:history",
            kwargs={"app_label": self._meta.app_label, "model": self._meta.model_name, "pk": self.pk},
        )


class CaseModel(StatefulModel):
    """A registered case: it gets a case number (diarienummer) when registered."""

    case_number = models.CharField(_("case number"), max_length=40, blank=True, db_index=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)

    class Meta:
        abstract = True


class CaseNumberSequence(models.Model):
    """The last number given per committee and year."""

    committee = models.ForeignKey("organizations.Committee", on_delete=models.PROTECT)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="case_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.committee_id}/{self.year}: {self.last_number}"


class DiariumEntry(models.Model):
    """One registered case: its number and what it is about (the diarium)."""

    committee = models.ForeignKey("organizations.Committee", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    case_number = models.CharField(_("case number"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    case = GenericForeignKey("content_type", "object_id")
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("diarium entry")
        verbose_name_plural = _("diarium")
        ordering = ["committee", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "number"], name="diarium_number_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.case_number} {self.title}"


class OutboxMessage(models.Model):
    """An e-mail to send, written in the same transaction as the event.

    ``key`` makes writing idempotent (one message per event and recipient);
    the row lock and ``sent_at`` make sending idempotent.
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(sent_at=None), name="outbox_unsent")
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class StoredDocument(models.Model):
    """A PDF/A document rendered from a template, kept with its checksum.

    Never regenerated silently: a changed document becomes a new version.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="generated/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64)
    source_sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "version"], name="document_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"
