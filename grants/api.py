"""The grants API: programs, rounds and applications, with the same permission checks as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from organizations.models import Organisation
from workflows.amounts import AmountSerializerField
from workflows.api import CaseTransitionsMixin
from workflows.services import TransitionRefused
from workflows.storage import file_download

from . import services
from .models import Application, DecisionLetter, Program, Round
from .selectors import applications_visible, programs_visible


class ProgramSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name", read_only=True)
    committee = serializers.CharField(source="committee.name", read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "kind",
            "municipality",
            "committee",
            "rules_reference",
            "rules_url",
            "description",
            "who_may_apply",
            "delegation_limit",
            "min_amount",
            "max_amount",
            "several_per_round",
            "is_active",
        ]


class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    """Grant programs the user may see: staff their municipality's, applicants where their organisations are active."""

    serializer_class = ProgramSerializer

    def get_queryset(self):
        return (
            programs_visible(user=self.request.user)
            .select_related("municipality", "committee")
            .order_by("pk")
        )


class RoundSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="upcoming, open or closed")

    class Meta:
        model = Round
        fields = [
            "id",
            "program",
            "name",
            "year",
            "opens_at",
            "closes_at",
            "decision_date",
            "decision_reference",
            "late_rule",
            "late_deduction_percent",
            "status",
        ]


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Rounds of the programs the user may see."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        return Round.objects.filter(program__in=programs_visible(user=self.request.user)).order_by(
            "-opens_at", "pk"
        )


class EligibilityResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    reason = serializers.CharField()


class ApplicationDecisionSerializer(serializers.Serializer):
    """The decision that stands for the application (by the committee or by delegation)."""

    outcome = serializers.CharField(help_text="granted, partly_granted or rejected")
    amount = serializers.DecimalField(max_digits=12, decimal_places=0, allow_null=True)
    conditions = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    report_due = serializers.DateField(allow_null=True)
    reasons = serializers.CharField()
    decided_at = serializers.DateTimeField()
    delegated = serializers.BooleanField()
    meeting = serializers.IntegerField(allow_null=True, help_text="The meeting that decided, or listed it")
    appeal_ends_on = serializers.DateField(allow_null=True, help_text="Last day to appeal, once posted")
    final = serializers.BooleanField(
        help_text="Final (laga kraft): the appeal period passed, no appeal pending"
    )
    final_at = serializers.DateTimeField(allow_null=True)
    annulled = serializers.BooleanField()


def decision_data(decision) -> dict | None:
    from meetings.services import decision_is_final

    if decision is None:
        return None
    meeting = decision.item.meeting if decision.item_id else None
    return {
        "outcome": decision.outcome,
        "amount": decision.amount,
        "conditions": decision.conditions,
        "period_start": decision.period_start,
        "period_end": decision.period_end,
        "report_due": decision.report_due,
        "reasons": decision.reasons,
        "decided_at": decision.decided_at,
        "delegated": decision.delegated,
        "meeting": meeting.pk if meeting else None,
        "appeal_ends_on": meeting.appeal_ends_on if meeting else None,
        "final": decision_is_final(decision),
        "final_at": decision.final_at,
        "annulled": decision.annulled,
    }


class ApplicationSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all())
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    requested_amount = AmountSerializerField(required=False, allow_null=True)
    answers = serializers.DictField(
        required=False, help_text="Answers by question key ('field:<id>' of the round's form)."
    )
    eligibility = EligibilityResultSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "case_number",
            "state",
            "round",
            "organisation",
            "title",
            "requested_amount",
            "answers",
            "democracy_declaration",
            "submitted_at",
            "late_deduction_percent",
            "completion_deadline",
            "eligibility",
            "score",
            "proposed_amount",
            "proposal_motivation",
            "granted_amount",
            "decision",
        ]
        read_only_fields = [
            "case_number",
            "state",
            "submitted_at",
            "late_deduction_percent",
            "completion_deadline",
            "score",
            "proposed_amount",
            "proposal_motivation",
            "granted_amount",
        ]
        # no check that the round and organisation have no draft yet: starting one returns the
        # draft there is (and it is looked for only once the organisation is known to be the user's)
        validators = []

    @extend_schema_field(ApplicationDecisionSerializer(allow_null=True))
    def get_decision(self, application):
        return decision_data(application.decision) if application.decision_id else None


class LetterSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="document.version")
    sha256 = serializers.CharField(source="document.sha256", help_text="Checksum of the PDF/A file")
    size = serializers.IntegerField(source="document.size")
    pdf = serializers.SerializerMethodField(help_text="Where to download the letter")

    class Meta:
        model = DecisionLetter
        fields = ["id", "subject", "version", "created_at", "sha256", "size", "pdf"]

    def get_pdf(self, letter) -> str:
        from django.urls import reverse

        request = self.context.get("request")
        url = reverse(
            "api:application-letter-pdf", kwargs={"pk": letter.application_id, "letter_id": letter.pk}
        )
        return request.build_absolute_uri(url) if request else url


class ApplicationUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    requested_amount = AmountSerializerField(required=False, allow_null=True)
    answers = serializers.DictField(required=False)
    democracy_declaration = serializers.BooleanField(required=False)


class AttachmentUploadSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="'attachment:<id>' or 'field:<id>' of the round's snapshot")
    file = serializers.FileField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class AssessmentInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DictField(),
        help_text='{"<criterion id>": {"score": 4, "na": false, "comment": "…"}}',
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    complete = serializers.BooleanField(required=False, default=False)


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    weighted_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


def _api_error(exc):
    if isinstance(exc, PermissionDenied):
        return ApiPermissionDenied(str(exc))
    if isinstance(exc, ValidationError):
        return ApiValidationError({"detail": exc.messages})
    return exc


class ApplicationViewSet(
    CaseTransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications: the applicant's own organisations', or staff's registered ones of their municipality.

    Create a draft with POST, fill it in with PATCH, add files with ``attachments``,
    then ``POST …/transitions/submit/``.  Every change of state is a transition.

    A submission the program's rules refuse answers 409 with ``reasons`` and ``errors`` (where
    each is corrected: ``requested_amount``, ``democracy_declaration``, an answer's key…).  An
    overdue follow-up report or an unpaid reclaim does not refuse it: send
    ``{"confirm_outstanding": true}`` to say the applicant knows the case stops at screening.
    """

    serializer_class = ApplicationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            applications_visible(user=self.request.user)
            .select_related("round__program", "organisation", "decision__item__meeting")
            .order_by("-created_at", "-pk")
        )

    def get_object(self):
        obj = super().get_object()
        if not self.request.user.has_perm("grants.view_application", obj):
            raise NotFound
        return obj

    def create(self, request, *args, **kwargs):
        # Whose the organisation is, first: someone else's is answered alike whether it exists and
        # whether it has a draft in the round (the draft is looked for only for one's own).
        given = str(request.data.get("organisation", "")) if hasattr(request.data, "get") else ""
        if given:
            organisation = (
                Organisation.objects.filter(pk=int(given)).first()
                if given.isascii() and given.isdigit() and len(given) < 19
                else None
            )
            if organisation is None or not request.user.has_perm("grants.apply", organisation):
                raise ApiPermissionDenied(gettext("You can only apply for an organisation you act for."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round = data["round"]
        if not request.user.has_perm("grants.view_program", round.program):
            raise ApiValidationError({"round": ["Okänd ansökningsomgång."]})
        try:
            application = services.application_start(
                round=round, organisation=data["organisation"], by=request.user
            )
            application = services.application_save(
                application=application,
                by=request.user,
                title=data.get("title"),
                requested_amount=data.get("requested_amount"),
                answers=data.get("answers"),
                democracy_declaration=data.get("democracy_declaration"),
            )
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationSerializer)
    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        serializer = ApplicationUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            application = services.application_save(application=application, by=request.user, **data)
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        return Response(self.get_serializer(application).data)

    def transition_unavailable(self, case, name: str) -> str:
        if name == "submit" and case.state != Application.State.DRAFT:
            return gettext("The application has already been submitted.")
        return ""

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    @action(
        detail=True, methods=["post"], url_path="attachments", parser_classes=[MultiPartParser, FormParser]
    )
    def attachments(self, request, pk=None):
        application = self.get_object()
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            attachment = services.application_attach(
                application=application,
                by=request.user,
                key=serializer.validated_data["key"],
                upload=serializer.validated_data["file"],
            )
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentInputSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"], url_path="assessment")
    def assessment(self, request, pk=None):
        """Save the signed-in assessor's scores (``complete`` to finish them)."""
        application = self.get_object()
        serializer = AssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            assessment = services.assessment_save(
                application=application,
                by=request.user,
                scores=serializer.validated_data["scores"],
                comment=serializer.validated_data["comment"],
                complete=serializer.validated_data["complete"],
            )
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        except TransitionRefused as exc:
            return Response({"detail": str(exc), "reasons": exc.reasons}, status=status.HTTP_409_CONFLICT)
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(responses=LetterSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="letters")
    def letters(self, request, pk=None):
        """The decision letters of the application, newest first (each version is kept)."""
        _application, letters = _letters_of(self, request, pk)
        return Response(LetterSerializer(letters, many=True, context={"request": request}).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"letters/(?P<letter_id>[0-9]+)/pdf")
    def letter_pdf(self, request, pk=None, letter_id=None):
        """One decision letter as PDF/A."""
        application, letters = _letters_of(self, request, pk)
        letter = letters.filter(pk=letter_id).first()
        if letter is None:
            raise NotFound
        number = application.case_number.replace(" ", "-").replace("/", "-")
        return file_download(
            letter.document.file, filename=f"beslutsbrev-{number}-v{letter.document.version}.pdf"
        )


def _letters_of(viewset, request, pk):
    application = viewset.get_object()
    return application, application.decision_letters.select_related("document").order_by("-created_at", "-pk")


def register(router):
    router.register("programs", ProgramViewSet, basename="program")
    router.register("rounds", RoundViewSet, basename="round")
    router.register("applications", ApplicationViewSet, basename="application")
