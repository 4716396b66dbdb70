"""/api/v1/partnerships/ and /api/v1/compacts/: the same permission checks as the pages."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound

from workflows.api import CaseTransitionsMixin

from .models import (
    AgreementVersion,
    Commitment,
    Compact,
    CompactSignatory,
    Contribution,
    Partnership,
    Principle,
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


class PrincipleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_key_display", read_only=True)

    class Meta:
        model = Principle
        fields = ["key", "name", "wording"]


class SignatorySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    org_number = serializers.CharField(source="organisation.org_number_display", read_only=True)

    class Meta:
        model = CompactSignatory
        fields = ["organisation", "org_number", "joined_on", "left_on"]


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["side", "text", "owner", "due_on", "status"]


class CompactSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name", read_only=True)
    principles = PrincipleSerializer(many=True, read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = Compact
        fields = [
            "id",
            "municipality",
            "title",
            "text",
            "state",
            "adopted_on",
            "adoption_reference",
            "term_years",
            "term_start",
            "term_end",
            "renewal_rule",
            "principles",
            "signatories",
            "commitments",
        ]
        read_only_fields = fields


class CompactViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseTransitionsMixin, viewsets.GenericViewSet
):
    """The compacts in force (public information: text, principles, signatories and action plan)."""

    serializer_class = CompactSerializer

    def get_queryset(self):
        return (
            Compact.objects.exclude(state=Compact.State.DRAFT)
            .select_related("municipality")
            .prefetch_related("principles", "signatories__organisation", "commitments")
            .order_by("municipality__name")
        )


def register(router):
    router.register("partnerships", PartnershipViewSet, basename="partnership")
    router.register("compacts", CompactViewSet, basename="compact")
