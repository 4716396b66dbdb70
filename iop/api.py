"""/api/v1/partnerships/: the same permission checks as the pages."""

from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from workflows.api import CaseTransitionsMixin

from .models import (
    AgreementVersion,
    Contribution,
    Partnership,
)
from .selectors import partnerships_list


class ContributionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contribution
        fields = ["year", "party", "kind", "description", "hours", "value"]


class AgreementVersionSerializer(serializers.ModelSerializer):
    contributions = ContributionSerializer(many=True, read_only=True)

    class Meta:
        model = AgreementVersion
        fields = ["number", "start_date", "end_date", "notice_months", "note", "created_at", "contributions"]


class PartnershipSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    organisation_id = serializers.IntegerField(read_only=True)
    committee = serializers.CharField(source="committee.name", read_only=True)
    approved_version = AgreementVersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Partnership
        fields = [
            "id",
            "case_number",
            "title",
            "state",
            "organisation",
            "organisation_id",
            "committee",
            "social_need",
            "proposed_solution",
            "target_group",
            "organisation_brings",
            "municipality_asked",
            "political_goal",
            "decision_reference",
            "decided_on",
            "municipality_signatory",
            "municipality_signed_on",
            "organisation_signatory",
            "organisation_signed_on",
            "approved_version",
            "created_at",
        ]
        read_only_fields = fields


class PartnershipViewSet(CaseTransitionsMixin, viewsets.ReadOnlyModelViewSet):
    """Partnerships the user may see: staff their municipality's, applicants their organisations'."""

    serializer_class = PartnershipSerializer

    def get_queryset(self):
        return partnerships_list(user=self.request.user, state=self.request.query_params.get("state", ""))

    def get_object(self):
        obj = super().get_object()
        if not self.request.user.has_perm("iop.view_partnership", obj):
            raise NotFound
        return obj


def register(router):
    router.register("partnerships", PartnershipViewSet, basename="partnership")
