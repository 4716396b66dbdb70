from rest_framework import serializers, viewsets

from .models import Organisation
from .selectors import organisations_search


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


def register(router):
    router.register("organizations", OrganisationViewSet, basename="organization")
