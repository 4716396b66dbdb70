"""The steps of a post on the board that its page may ask for by name (see ``workflows.registry``)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.models import Municipality
from workflows import registry
from workflows.shortcuts import get_permitted_or_404

from . import selectors, services
from .models import BoardPost


def _post(request, slug, pk):
    municipality = get_object_or_404(Municipality, slug=slug)
    return get_permitted_or_404(
        selectors.post_detail_queryset().filter(municipality=municipality),
        "portal.view_post",
        request.user,
        pk=pk,
    )


registry.case(
    BoardPost,
    get=_post,
    page=lambda post, slug, pk: reverse("portal:post", kwargs={"slug": slug, "pk": post.pk}),
    done=lambda post, name: _("Done: the post is now “%(state)s”.") % {"state": post.get_state_display()},
)
for _name in sorted(services.SIMPLE_TRANSITIONS):
    registry.step(
        BoardPost,
        _name,
        lambda p, by, data, n=_name: services.board_post_transition(
            post=p, name=n, by=by, reason=data["reason"]
        ),
    )
