"""``/api/v1/nominations/``: award candidates with their nominations, for staff.

The same permission checks as the pages: staff of the award program's
municipality (and committee) see its candidates and the nominators' contact
details; ``…/transitions/`` and ``…/history/`` work as for every case.
"""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from workflows.api import CaseTransitionsMixin

from .models import Candidate, Nomination, NomineeKind
from .selectors import award_programs_visible


class NominationSerializer(serializers.ModelSerializer):
    nominee_kind = serializers.ChoiceField(source="kind", choices=NomineeKind.choices, read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "nominee_kind",
            "nominee_name",
            "nominee_org_number",
            "motivation",
            "nominator_name",
            "nominator_email",
            "nominator_phone",
            "created_at",
        ]


class CandidateSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="round.program_id", read_only=True)
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    self_application = serializers.IntegerField(source="application_id", read_only=True, allow_null=True)
    nominee_kind = serializers.ChoiceField(source="kind", choices=NomineeKind.choices, read_only=True)
    nominations = NominationSerializer(many=True, read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "case_number",
            "round",
            "program",
            "nominee_kind",
            "name",
            "org_number",
            "organisation",
            "organisation_name",
            "self_application",
            "state",
            "eligibility",
            "ineligible_reason",
            "score",
            "proposal",
            "proposal_motivation",
            "awarded_amount",
            "motivation",
            "decided_at",
            "announced_at",
            "nominations",
        ]
        read_only_fields = fields


class NominationViewSet(CaseTransitionsMixin, viewsets.ReadOnlyModelViewSet):
    """Award candidates of the programs the user serves, each with its nominations.

    Transitions: ``mark_eligible`` / ``mark_ineligible`` (screening against the rules;
    either name screens), ``shortlist``, ``unshortlist`` and ``announce``.  The committee's
    decision is recorded through the meetings API.
    """

    serializer_class = CandidateSerializer

    def get_queryset(self):
        return (
            Candidate.objects.filter(round__program__in=award_programs_visible(user=self.request.user))
            .select_related("round", "organisation")
            .prefetch_related("nominations")
            .order_by("pk")
        )

    def get_object(self):
        candidate = super().get_object()
        if not self.request.user.has_perm("grants.view_award_candidate", candidate):
            raise NotFound
        return candidate


def register(router):
    router.register("nominations", NominationViewSet, basename="nomination")
