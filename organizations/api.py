from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from workflows.api import CaseTransitionsMixin

from . import services
from .models import AccountChange, AccountVerification, Organisation
from .selectors import account_changes_visible, organisations_search, organisations_visible


class OrganisationSerializer(serializers.ModelSerializer):
    org_number = serializers.CharField(source="org_number_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "org_number", "kind", "purpose", "city", "member_count"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations the user may see: their own, or (staff) those active in their municipality."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return organisations_search(user=self.request.user, query=self.request.query_params.get("q", ""))


# -- changes of payment account: /api/v1/account-changes/ and /api/v1/account-verifications/ --------


class AccountVerificationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = AccountVerification
        fields = ["id", "municipality", "state", "verified_at"]


class AccountChangeSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    account = serializers.CharField(source="account_display", read_only=True)
    previous_account = serializers.CharField(source="previous_account_display", read_only=True)
    verifications = AccountVerificationSerializer(many=True, read_only=True)

    class Meta:
        model = AccountChange
        fields = [
            "id",
            "organisation",
            "account_type",
            "account_number",
            "account",
            "previous_account",
            "state",
            "created_at",
            "decided_at",
            "verifications",
        ]
        read_only_fields = ["state", "created_at", "decided_at"]


class AccountChangeRequestSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    account_type = serializers.ChoiceField(choices=Organisation.AccountType.choices)
    account_number = serializers.CharField(max_length=20)


def _api_error(exc):
    if isinstance(exc, PermissionDenied):
        return ApiPermissionDenied(str(exc))
    if isinstance(exc, ValidationError):
        return ApiValidationError({"detail": exc.messages})
    return exc


class AccountChangeViewSet(
    CaseTransitionsMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Changes of an organisation's payment account.

    The organisation's signatory asks for one with POST (``organisation``, ``account_type``,
    ``account_number``); it takes effect when every municipality where the organisation is active
    has verified it (``/account-verifications/{id}/transitions/verify/``).  A verifying caseworker
    may ``reject`` it (with a ``reason``); the organisation may ``withdraw`` it."""

    serializer_class = AccountChangeSerializer

    def get_queryset(self):
        return account_changes_visible(user=self.request.user)

    def get_object(self):
        change = super().get_object()
        if not self.request.user.has_perm("organizations.view_account_change", change):
            raise NotFound
        return change

    def create(self, request, *args, **kwargs):
        serializer = AccountChangeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = organisations_visible(user=request.user).filter(pk=data["organisation"]).first()
        if organisation is None:
            raise NotFound
        try:
            change = services.account_change_request(
                organisation=organisation,
                by=request.user,
                account_type=data["account_type"],
                account_number=data["account_number"],
            )
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        return Response(self.get_serializer(change).data, status=status.HTTP_201_CREATED)


class AccountVerificationViewSet(CaseTransitionsMixin, viewsets.ReadOnlyModelViewSet):
    """One municipality's verification of a new payment account: ``POST …/transitions/verify/``."""

    serializer_class = AccountVerificationSerializer

    def get_queryset(self):
        return AccountVerification.objects.filter(
            change__in=account_changes_visible(user=self.request.user)
        ).select_related("municipality", "change")

    def get_object(self):
        verification = super().get_object()
        if not self.request.user.has_perm("organizations.view_account_change", verification.change):
            raise NotFound
        return verification


def register(router):
    router.register("organizations", OrganisationViewSet, basename="organization")
    router.register("account-changes", AccountChangeViewSet, basename="accountchange")
    router.register("account-verifications", AccountVerificationViewSet, basename="accountverification")
