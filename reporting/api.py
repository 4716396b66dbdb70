"""``/api/v1/reports/`` and ``/api/v1/reclaims/``: the same permission checks as the pages.

Reports: the grantee's users and the program's staff see them; transitions ``submit`` /
``resubmit`` (the grantee), ``approve``, ``request_completion`` and ``reject`` (the
caseworker; ``reason`` is the message).  Reclaims: ``invoice``, ``mark_paid`` (``paid_on``)
and ``write_off``; the decision itself is recorded through the meetings API or by delegation.
"""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from workflows.api import CaseTransitionsMixin

from . import selectors
from .models import FollowUpReport, Reclaim, ReportCommitment


class ReportCommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportCommitment
        fields = ["id", "label", "unit", "planned", "achieved", "comment"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    commitments = ReportCommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = FollowUpReport
        fields = [
            "id",
            "case_number",
            "application",
            "organisation",
            "organisation_name",
            "program",
            "program_name",
            "state",
            "opens_on",
            "due_on",
            "answers",
            "submitted_at",
            "completion_message",
            "outcome_reasons",
            "reviewed_at",
            "commitments",
        ]
        read_only_fields = fields


class ReportViewSet(CaseTransitionsMixin, viewsets.ReadOnlyModelViewSet):
    """Follow-up reports the user may see: their organisations' or their programs'."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return (
            selectors.reports_visible(user=self.request.user)
            .select_related("organisation", "program")
            .prefetch_related("commitments")
            .order_by("due_on", "pk")
        )

    def get_object(self):
        report = super().get_object()
        if not self.request.user.has_perm("grants.view_report", report):
            raise NotFound
        return report


class ReclaimSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Reclaim
        fields = [
            "id",
            "case_number",
            "application",
            "report",
            "organisation",
            "organisation_name",
            "program",
            "state",
            "grounds",
            "motivation",
            "amount",
            "decided_amount",
            "invoiced_at",
            "pay_by",
            "paid_on",
            "write_off_reason",
        ]
        read_only_fields = fields


class ReclaimViewSet(CaseTransitionsMixin, viewsets.ReadOnlyModelViewSet):
    """Reclaims the user may see; a proposal is visible to staff only until it is decided."""

    serializer_class = ReclaimSerializer

    def get_queryset(self):
        reclaims = selectors.reclaims_visible(user=self.request.user)
        if not self.request.user.has_perm("grants.view_reports"):
            reclaims = reclaims.exclude(state=Reclaim.State.PROPOSED)
        return reclaims.select_related("organisation", "program").order_by("-pk")

    def get_object(self):
        reclaim = super().get_object()
        if not self.request.user.has_perm("grants.view_reclaim", reclaim):
            raise NotFound
        return reclaim


def register(router):
    router.register("reports", ReportViewSet, basename="report")
    router.register("reclaims", ReclaimViewSet, basename="reclaim")
