"""The steps of a partnership that its page or the API may ask for by name (see
``workflows.registry``).  The committee's decisions, the signatures, the term's start and end
and the follow-ups have pages and services of their own."""

from django.urls import reverse
from django.utils.translation import gettext as _

from workflows import registry
from workflows.shortcuts import get_permitted_or_404

from . import services
from .models import Partnership


def _partnership(request, pk):
    queryset = Partnership.objects.select_related(
        "organisation", "committee__municipality", "approved_version", "initiated_by"
    )
    return get_permitted_or_404(queryset, "iop.view_partnership", request.user, pk=pk)


registry.case(
    Partnership,
    get=_partnership,
    page=lambda partnership, **kw: reverse("iop:detail", kwargs={"pk": partnership.pk}),
    done=lambda partnership, name: (
        _("Done: the partnership is now “%(state)s”.") % {"state": partnership.get_state_display()}
    ),
)
for _name in sorted(services.SIMPLE_TRANSITIONS):
    registry.step(
        Partnership,
        _name,
        lambda p, by, data, n=_name: services.partnership_transition(
            partnership=p, name=n, by=by, reason=data["reason"]
        ),
    )
registry.step(
    Partnership,
    "find_suitable",
    lambda p, by, data: services.partnership_screen(
        partnership=p, suitable=True, by=by, reason=data["reason"]
    ),
)
