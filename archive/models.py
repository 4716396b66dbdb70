"""What was handed to the e-archive: one row per exported case, and the jobs that export them.

Both change state only by their transitions (``workflows.services.perform_transition``), so
each export and each culling has its log row: who, when, why.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.models import StatefulModel


class ExportJob(StatefulModel):
    """One export of a committee's closed cases of a year, with its progress for the page."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("done with errors")

    committee = models.ForeignKey("organizations.Committee", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    state = FSMField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED, protected=True)
    total = models.PositiveIntegerField(_("cases to export"), default=0)
    done = models.PositiveIntegerField(_("cases exported"), default=0)
    failed = models.PositiveIntegerField(_("cases that failed"), default=0)
    errors = models.TextField(blank=True)
    file = models.FileField(upload_to="archive/jobs/%Y/", max_length=200, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    view_permission = "archive.view_export_job"

    class Meta:
        verbose_name = _("archive export")
        verbose_name_plural = _("archive exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.committee_id} {self.year}: {self.done}/{self.total}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 100

    @transition(field=state, source=State.QUEUED, target=State.RUNNING, custom={"label": _("Start")})
    def start(self) -> None:
        pass

    @transition(field=state, source=State.RUNNING, target=State.DONE, custom={"label": _("Finish")})
    def finish(self) -> None:
        self.finished_at = timezone.now()

    @transition(
        field=state, source=State.RUNNING, target=State.FAILED, custom={"label": _("Finish with errors")}
    )
    def finish_with_errors(self) -> None:
        self.finished_at = timezone.now()


class ArchivedCase(StatefulModel):
    """A closed case exported as an E-ARK SIP; once culled, Bidra keeps only what it must."""

    class State(models.TextChoices):
        PENDING = "pending", _("being exported")
        EXPORTED = "exported", _("exported to the e-archive")
        CULLED = "culled", _("culled from Bidra")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    committee = models.ForeignKey("organizations.Committee", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    state = FSMField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, protected=True)
    package_id = models.CharField(_("package id"), max_length=100, unique=True)
    package = models.FileField(upload_to="archive/packages/%Y/", max_length=200)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    job = models.ForeignKey(ExportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")
    exported_at = models.DateTimeField(_("exported"), default=timezone.now)
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    culled_at = models.DateTimeField(_("culled"), null=True, blank=True)

    view_permission = "archive.view_archived_case"

    class Meta:
        verbose_name = _("archived case")
        verbose_name_plural = _("archived cases")
        ordering = ["-exported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="archived_case_once")
        ]

    def __str__(self):
        return f"{self.case_number or self.title} ({self.package_id})"

    @transition(field=state, source=State.PENDING, target=State.EXPORTED, custom={"label": _("Export")})
    def export(self) -> None:
        self.exported_at = timezone.now()

    @transition(field=state, source=State.EXPORTED, target=State.CULLED, custom={"label": _("Cull")})
    def cull(self) -> None:
        self.culled_at = timezone.now()
