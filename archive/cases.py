"""The archive adapters of the case types: a grant application, a partnership and a meeting.

``archive`` sits above the case apps in the layers (see ``pyproject.toml``), so it reads their
models here; the case apps know nothing of the archive.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from correspondence.selectors import messages_of_cases
from grants.models import Application
from iop.models import Partnership
from meetings.models import AgendaItem, Meeting
from reporting.models import FollowUpReport, Reclaim
from workflows.models import StoredDocument

from .adapters import ArchiveAdapter, ArchiveDescription, ArchiveFile


def _documents_of(*subjects) -> list[StoredDocument]:
    """Every stored document (every version) whose subject is one of ``subjects``."""
    query = Q(pk__in=[])
    for subject in subjects:
        query |= Q(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk)
    return list(StoredDocument.objects.filter(query).order_by("created_at", "pk"))


def _document_files(documents: list[StoredDocument]) -> list[ArchiveFile]:
    return [
        ArchiveFile(
            name=f"{document.kind}-v{document.version}-{document.pk}.pdf",
            title=document.title,
            file=document.file,
            created=document.created_at,
            kind=document.kind,
        )
        for document in documents
    ]


def _upload(prefix: str, pk: int, row, created) -> ArchiveFile:
    suffix = PurePosixPath(row.original_name).suffix.lower() or ".bin"
    mimetype = row.content_type or mimetypes.guess_type(row.original_name)[0] or "application/octet-stream"
    return ArchiveFile(
        name=f"{prefix}-{pk}{suffix}",
        title=row.original_name,
        file=row.file,
        mimetype=mimetype,
        created=created,
        kind=prefix,
    )


def _message_files(*cases) -> list[ArchiveFile]:
    """The cases' messages as one text file (the thread, internal notes marked), and their files."""
    messages = list(messages_of_cases(cases))
    if not messages:
        return []
    lines = []
    files = []
    for message in messages:
        case = message.case
        head = [
            message.created_at.isoformat(),
            getattr(case, "case_number", "") or "",
            f"{message.author.full_name or message.author.email} ({message.get_side_display()})",
            message.get_kind_display(),
        ]
        if message.internal:
            head.append(str(_("internal note")))
        if message.due_date:
            head.append(str(_("answer by %(date)s") % {"date": message.due_date.isoformat()}))
        lines.append(" | ".join(head))
        lines.append(message.body)
        for attachment in message.attachments.all():
            packed = _upload("message-attachment", attachment.pk, attachment, message.created_at)
            lines.append(f"[{packed.name}: {attachment.original_name}]")
            files.append(packed)
        lines.append("")
    thread = ArchiveFile(
        name="messages.txt",
        title=str(_("Messages on the case")),
        file=ContentFile("\n".join(lines).encode()),
        mimetype="text/plain",
        created=messages[-1].created_at,
        kind="messages",
    )
    return [thread, *files]


def _message_attachments_cull(*cases) -> int:
    count = 0
    for message in messages_of_cases(cases):
        for attachment in message.attachments.all():
            attachment.file.delete(save=False)
            attachment.delete()
            count += 1
    return count


# --- A grant application ---------------------------------------------------------------------

#: follow-up reports that need nothing more, and reclaims that are settled
_REPORT_DONE = (FollowUpReport.State.APPROVED, FollowUpReport.State.NOT_APPROVED)
_RECLAIM_DONE = (Reclaim.State.DROPPED, Reclaim.State.PAID, Reclaim.State.WRITTEN_OFF)
_PAYMENT_OPEN = ("planned", "exported")


class ApplicationArchive(ArchiveAdapter):
    """An application is closed when it was dismissed, withdrawn or rejected, or granted with
    every payment made, its follow-up report reviewed and any reclaim settled."""

    model = Application
    slug = "application"
    ENDED = (Application.State.REJECTED, Application.State.DISMISSED, Application.State.WITHDRAWN)

    def year_queryset(self, committee, year) -> QuerySet[Application]:
        return Application.objects.filter(
            round__program__committee=committee, submitted_at__year=year
        ).order_by("pk")

    def closed_queryset(self, committee, year) -> QuerySet[Application]:
        return (
            self.year_queryset(committee, year)
            .filter(
                Q(state__in=self.ENDED)
                | (
                    Q(state__in=Application.GRANTED_STATES)
                    & ~Q(payments__state__in=_PAYMENT_OPEN)
                    & (Q(followup_report__isnull=True) | Q(followup_report__state__in=_REPORT_DONE))
                    & ~Q(reclaims__state__in=[s for s in Reclaim.State if s not in _RECLAIM_DONE])
                )
            )
            .distinct()
            .select_related("round__program__committee", "organisation")
            .order_by("pk")
        )

    def is_closed(self, case) -> bool:
        if case.submitted_at is None:
            return False
        return self.closed_queryset(self.committee(case), case.submitted_at.year).filter(pk=case.pk).exists()

    def committee(self, case):
        return case.round.program.committee

    def describe(self, case) -> ArchiveDescription:
        decision = case.decision
        report = FollowUpReport.objects.filter(application=case).first()
        facts = [
            (str(_("program")), case.round.program.name),
            (str(_("round")), str(case.round)),
            (str(_("requested amount")), f"{case.requested_amount or 0}"),
        ]
        if case.granted_amount is not None:
            facts.append((str(_("granted amount")), f"{case.granted_amount}"))
        for payment in case.payments.all().order_by("pk"):
            facts.append((str(_("payment")), f"{payment.amount} ({payment.get_state_display()})"))
        if report is not None:
            facts.append((str(_("follow-up report")), f"{report.case_number} ({report.get_state_display()})"))
        for reclaim in Reclaim.objects.filter(application=case).order_by("pk"):
            facts.append((str(_("reclaim")), f"{reclaim.case_number} ({reclaim.get_state_display()})"))
        return ArchiveDescription(
            case_number=case.case_number,
            title=case.title,
            case_type=str(_("Grant application")),
            committee=self.committee(case),
            organisation=case.organisation,
            opened=case.submitted_at or case.created_at,
            decided=decision.decided_at if decision else None,
            closed=case.updated_at,
            status=case.get_state_display(),
            facts=facts,
        )

    def files(self, case) -> list[ArchiveFile]:
        # the refusals of requests for a decision (förvaltningslagen 12 §) are decisions with letters
        subjects = [case, *Reclaim.objects.filter(application=case), *case.decision_requests.all()]
        files = _document_files(_documents_of(*subjects))
        for attachment in case.files.exclude(file="").order_by("pk"):
            files.append(_upload("attachment", attachment.pk, attachment, attachment.uploaded_at))
        report = FollowUpReport.objects.filter(application=case).first()
        if report is not None:
            for attachment in report.files.order_by("pk"):
                files.append(_upload("report-attachment", attachment.pk, attachment, attachment.uploaded_at))
        files += _message_files(
            case, *([report] if report else []), *Reclaim.objects.filter(application=case)
        )
        return files

    def logged_objects(self, case) -> list:
        objects = [case]
        objects += list(FollowUpReport.objects.filter(application=case))
        objects += list(Reclaim.objects.filter(application=case))
        objects += list(case.payments.all())
        objects += list(case.decision_requests.order_by("pk"))
        if case.decision_id:
            objects.append(case.decision)
        return objects

    def cull(self, case) -> int:
        """The uploaded attachments (the archive holds them) go; the register's documents stay."""
        count = 0
        for attachment in case.files.exclude(file=""):
            attachment.file.delete(save=False)
            attachment.delete()
            count += 1
        report = FollowUpReport.objects.filter(application=case).first()
        count += _message_attachments_cull(
            case, *([report] if report else []), *Reclaim.objects.filter(application=case)
        )
        return count


# --- A partnership -----------------------------------------------------------------------------


class PartnershipArchive(ArchiveAdapter):
    """A partnership is closed when it was found unsuitable, rejected, ended or terminated."""

    model = Partnership
    slug = "partnership"
    ENDED = (
        Partnership.State.NOT_SUITABLE,
        Partnership.State.REJECTED,
        Partnership.State.ENDED,
        Partnership.State.TERMINATED_EARLY,
    )

    def year_queryset(self, committee, year) -> QuerySet[Partnership]:
        return Partnership.objects.filter(committee=committee, created_at__year=year).order_by("pk")

    def closed_queryset(self, committee, year) -> QuerySet[Partnership]:
        return (
            self.year_queryset(committee, year)
            .filter(state__in=self.ENDED)
            .select_related("committee", "organisation")
        )

    def is_closed(self, case) -> bool:
        return case.state in self.ENDED

    def committee(self, case):
        return case.committee

    def describe(self, case) -> ArchiveDescription:
        facts = []
        for version in case.agreement_versions.order_by("number"):
            facts.append((str(_("agreement version")), str(version.number)))
        for follow_up in case.follow_ups.order_by("pk"):
            facts.append((str(_("follow-up")), str(follow_up)))
        for payment in case.payments.order_by("pk"):
            facts.append((str(_("payment")), f"{payment.amount} ({payment.get_state_display()})"))
        return ArchiveDescription(
            case_number=case.case_number,
            title=case.title,
            case_type=str(_("Partnership (IOP)")),
            committee=case.committee,
            organisation=case.organisation,
            opened=case.registered_at or case.created_at,
            decided=case.renewal_decided_on or case.decided_on,
            closed=case.ended_on,
            status=case.get_state_display(),
            facts=facts,
        )

    def files(self, case) -> list[ArchiveFile]:
        return _document_files(_documents_of(case)) + _message_files(case)

    def logged_objects(self, case) -> list:
        return [case, *case.payments.all()]

    def cull(self, case) -> int:
        """The files sent with the partnership's messages (the archive holds them) go."""
        return _message_attachments_cull(case)


# --- A meeting ---------------------------------------------------------------------------------


class MeetingArchive(ArchiveAdapter):
    """A meeting is closed when its decisions are final (laga kraft)."""

    model = Meeting
    slug = "meeting"

    def year_queryset(self, committee, year) -> QuerySet[Meeting]:
        return Meeting.objects.filter(committee=committee, starts_at__year=year).order_by("pk")

    def closed_queryset(self, committee, year) -> QuerySet[Meeting]:
        return (
            self.year_queryset(committee, year).filter(state=Meeting.State.FINAL).select_related("committee")
        )

    def is_closed(self, case) -> bool:
        return case.state == Meeting.State.FINAL

    def committee(self, case):
        return case.committee

    def describe(self, case) -> ArchiveDescription:
        facts = [(str(_("place")), case.place or "")]
        for number, item in enumerate(case.items.order_by("group_no", "order", "pk"), start=1):
            facts.append(
                (str(_("agenda item")), f"§ {number} {item.case_number} {item.title}".replace("  ", " "))
            )
        return ArchiveDescription(
            case_number="",
            title=str(case),
            case_type=str(_("Committee meeting")),
            committee=case.committee,
            opened=case.starts_at,
            decided=case.starts_at,
            closed=case.posted_on,
            status=case.get_state_display(),
            facts=facts,
        )

    def files(self, case) -> list[ArchiveFile]:
        return _document_files(_documents_of(case, *AgendaItem.objects.filter(meeting=case)))

    def logged_objects(self, case) -> list:
        return [case]
