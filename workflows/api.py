"""What every case resource of the API shares: ``transitions`` and ``history``.

A case viewset mixes in ``CaseTransitionsMixin`` and gets
``GET …/{id}/transitions/`` (what this user may do now, and why not),
``POST …/{id}/transitions/{name}/`` (do it) and ``GET …/{id}/history/``,
with the same permission checks as the pages.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from . import registry
from .services import TransitionRefused, transition_check, transitions_for
from .text import text_check


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

    ``POST …/transitions/{name}/`` takes the step registered in ``workflows.registry`` for the
    case's model: the same form and service as the case page.  A step that is not registered
    (a timer's, a meeting decision's) is not found here.
    """

    def transition_unavailable(self, case, name: str) -> str:
        """Why ``name`` cannot be done now, when it is a step the case has already taken (a retried
        request, a double click): answered 409 with this reason.  Empty: answered 404."""
        return ""

    @extend_schema(responses=TransitionSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="transitions")
    def transitions(self, request, pk=None):
        case = self.get_object()
        options = transitions_for(case, by=request.user)
        return Response(TransitionSerializer([o.__dict__ for o in options if o.permitted], many=True).data)

    @extend_schema(request=TransitionRequest, responses={200: None, 400: None, 409: None})
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def do_transition(self, request, pk=None, name=None):
        case = self.get_object()
        if not hasattr(request.data, "items"):
            raise ApiValidationError({"detail": [_('Send the values as an object: {"reason": "…"}.')]})
        for key, value in request.data.items():
            try:
                text_check(value)
            except ValidationError as exc:
                raise ApiValidationError({key: exc.messages}) from exc
        names = {o.name for o in transitions_for(case, by=request.user, include_hidden=False)}
        step = registry.lookup(type(case), name)
        if name not in names or step is None:
            reason = self.transition_unavailable(case, name)
            if reason:
                return Response({"detail": reason, "reasons": [reason]}, status=status.HTTP_409_CONFLICT)
            raise NotFound(f"No transition {name!r} from the current state.")
        if not transition_check(case, name, by=request.user).permitted:
            raise ApiPermissionDenied(_("You do not have permission to do this."))
        form = step.bind(request.data)
        if not form.is_valid():
            fields = {
                name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()
            }
            raise ApiValidationError({"detail": registry.errors(form), **fields})
        kind = registry.case_type(type(case))
        try:
            step.run(case, request.user, form.cleaned_data)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        except TransitionRefused as exc:
            body = {"detail": str(exc), "reasons": exc.reasons}
            if getattr(exc, "errors", None):  # a refusal that says where each reason belongs
                body["errors"] = exc.errors
            return Response(body, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            if kind.refused_status == status.HTTP_409_CONFLICT:
                return Response(
                    {"detail": " ".join(exc.messages), "reasons": exc.messages},
                    status=status.HTTP_409_CONFLICT,
                )
            raise ApiValidationError({"detail": exc.messages}) from exc
        except (TypeError, ValueError) as exc:
            raise ApiValidationError({"detail": [_("Check the values you entered.")]}) from exc
        try:
            case = self.get_object()
        except (NotFound, Http404):  # the step took the case out of the user's sight
            case.refresh_from_db()
        return Response(self.get_serializer(case).data)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="history")
    def history(self, request, pk=None):
        case = self.get_object()
        entries = (
            StateLog.objects.filter(
                content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
            )
            .exclude(transition="internal_note")  # the staff's notes on a case's thread are theirs alone
            .select_related("by")
            .order_by("timestamp", "pk")
        )
        return Response(HistoryEntrySerializer(entries, many=True).data)
