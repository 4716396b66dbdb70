"""Committee meetings in the API: /api/v1/meetings/, with their agenda, decisions and recusals."""

from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from workflows.api import CaseTransitionsMixin

from .models import Meeting
from .selectors import agenda_items, committees_visible


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=0, allow_null=True)
    conditions = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    report_due = serializers.DateField(allow_null=True)
    reasons = serializers.CharField()
    decided_at = serializers.DateTimeField()
    delegated = serializers.BooleanField()
    final = serializers.BooleanField(source="is_final")
    annulled = serializers.BooleanField()


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    kind = serializers.CharField()
    group = serializers.CharField()
    title = serializers.CharField()
    case_number = serializers.CharField()
    case_type = serializers.CharField(source="content_type.model")
    case_id = serializers.IntegerField(source="object_id")
    organisation = serializers.CharField(source="organisation.name", allow_null=True, default=None)
    requested_amount = serializers.DecimalField(max_digits=12, decimal_places=0, allow_null=True)
    proposed_amount = serializers.DecimalField(max_digits=12, decimal_places=0, allow_null=True)
    proposed_outcome = serializers.CharField()
    proposal_text = serializers.CharField()
    decision = DecisionSerializer(source="decision_or_none", allow_null=True)
    recusals = serializers.ListField(child=serializers.CharField(), source="recusal_names")


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    committee = serializers.IntegerField(source="committee_id")
    committee_name = serializers.CharField(source="committee.name")
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    state = serializers.CharField()
    posted_on = serializers.DateField(allow_null=True)
    appeal_ends_on = serializers.DateField(allow_null=True)


class MeetingDetailSerializer(MeetingSerializer):
    items = AgendaItemSerializer(many=True, source="agenda")


class MeetingViewSet(CaseTransitionsMixin, viewsets.ReadOnlyModelViewSet):
    """Committee meetings of the user's committees, with their agenda, decisions and recusals.

    ``POST …/transitions/post/`` takes ``posted_on`` (YYYY-MM-DD); the minutes are
    approved by each adjuster through the page, not through a transition.
    """

    def get_serializer_class(self):
        return MeetingSerializer if self.action == "list" else MeetingDetailSerializer

    def get_queryset(self):
        return (
            Meeting.objects.filter(committee__in=committees_visible(user=self.request.user))
            .select_related("committee__municipality")
            .order_by("-starts_at")
        )

    def get_object(self):
        meeting = super().get_object()
        if not self.request.user.has_perm("meetings.view_meeting", meeting):
            raise NotFound
        meeting.agenda = agenda_items(meeting=meeting)
        for item in meeting.agenda:
            item.recusal_names = [r.user.full_name for r in item.recusals.all()]
        return meeting


def register(router):
    router.register("meetings", MeetingViewSet, basename="meeting")
