"""Payments through the API: those of the cases the user may see, grants and partnerships alike."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from .adapters import registered
from .models import Payment
from .selectors import payments_visible, with_cases


class PaymentSerializer(serializers.ModelSerializer):
    case_type = serializers.CharField(read_only=True)
    case_id = serializers.IntegerField(source="object_id", read_only=True)
    case_number = serializers.CharField(read_only=True)
    application = serializers.SerializerMethodField()
    partnership = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "case_type",
            "case_id",
            "case_number",
            "application",
            "partnership",
            "period",
            "instalment",
            "instalments",
            "amount",
            "due_on",
            "state",
            "paid_on",
            "organisation_name",
            "org_number",
            "account_type",
            "account_number",
            "reference",
        ]

    def get_application(self, payment) -> int | None:
        return payment.object_id if payment.case_type == "application" else None

    def get_partnership(self, payment) -> int | None:
        return payment.object_id if payment.case_type == "partnership" else None


def _case_filter(qs, case_type: str, value: str):
    """Only the payments of the case ``value`` of ``case_type`` (none for a value that is no id)."""
    for model, adapter in registered().items():
        if adapter.case_type == case_type:
            return qs.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id=int(value) if value.isdigit() else 0,
            )
    return qs.none()


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Payments of the cases the user may see: the applicant's own, staff's municipality's."""

    serializer_class = PaymentSerializer
    #: the model, for the schema (read without a database); ``get_queryset`` chooses the rows
    queryset = Payment.objects.none()

    def get_queryset(self):
        qs = payments_visible(user=self.request.user).order_by("due_on", "pk")
        for case_type in ("application", "partnership"):
            value = self.request.query_params.get(case_type)
            if value:
                qs = _case_filter(qs, case_type, value)
        return with_cases(qs)

    @extend_schema(
        parameters=[
            OpenApiParameter("application", int, description="Only the payments of this application"),
            OpenApiParameter("partnership", int, description="Only the payments of this partnership"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router):
    router.register("payments", PaymentViewSet, basename="payment")
