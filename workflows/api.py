"""What every case resource of the API shares: ``transitions`` and ``history``.

A case viewset mixes in ``CaseTransitionsMixin`` and gets
``GET …/{id}/transitions/`` (what this user may do now, and why not),
``POST …/{id}/transitions/{name}/`` (do it) and ``GET …/{id}/history/``,
with the same permission checks as the pages.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm_log.models import StateLog
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from .services import TransitionRefused, perform_transition, transitions_for


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class HistoryEntrySerializer(serializers.Serializer):
    timestamp = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)
    source_state = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    transition = serializers.CharField()
    reason = serializers.CharField(source="description", allow_null=True)


TransitionRequest = inline_serializer("TransitionRequest", {"reason": serializers.CharField(required=False)})


class CaseTransitionsMixin:
    """For ModelViewSets over a StatefulModel.  ``get_object`` must apply the view permission.

    A subclass may override ``run_transition(case, name, reason, data)`` to call its own
    service (which adds side effects); the default calls ``perform_transition``.
    """

    def run_transition(self, case, name: str, reason: str, data: dict):
        with transaction.atomic():
            case = type(case).objects.select_for_update().get(pk=case.pk)
            perform_transition(case, name, by=self.request.user, reason=reason)
        return case

    @extend_schema(responses=TransitionSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="transitions")
    def transitions(self, request, pk=None):
        case = self.get_object()
        options = transitions_for(case, by=request.user)
        return Response(TransitionSerializer([o.__dict__ for o in options if o.permitted], many=True).data)

    @extend_schema(request=TransitionRequest, responses={200: None, 409: None})
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def do_transition(self, request, pk=None, name=None):
        case = self.get_object()
        names = {o.name for o in transitions_for(case, by=request.user, include_hidden=False)}
        if name not in names:
            raise NotFound(f"No transition {name!r} from the current state.")
        try:
            case = self.run_transition(case, name, str(request.data.get("reason", "")), request.data)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        except TransitionRefused as exc:
            return Response({"detail": str(exc), "reasons": exc.reasons}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(case).data)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="history")
    def history(self, request, pk=None):
        case = self.get_object()
        entries = (
            StateLog.objects.filter(
                content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
            )
            .select_related("by")
            .order_by("timestamp", "pk")
        )
        return Response(HistoryEntrySerializer(entries, many=True).data)
