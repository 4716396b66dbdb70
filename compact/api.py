"""/api/v1/compacts/: the compacts in force, public like their pages.  Read only: the compact
changes state only by the decisions recorded on its page and by the renewal task."""

from rest_framework import mixins, serializers, viewsets

from workflows.api import CaseTransitionsMixin

from .models import Commitment, Compact, CompactSignatory, Principle


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
    router.register("compacts", CompactViewSet, basename="compact")
