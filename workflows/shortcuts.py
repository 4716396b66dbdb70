"""Helpers every view uses to find an object the user may see (a stored file is handed over by
``workflows.storage.file_download``)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

#: a pk no row has, standing in for the real one while a URL is prepared
_PLACEHOLDER = 2_147_483_647


def get_permitted_or_404(queryset_or_model, perm: str, user, **lookup):
    """The object, if it exists and ``user`` holds ``perm`` for it; else 404.

    A 404 rather than a 403, so that guessing ids tells nothing about what exists.
    """
    obj = get_object_or_404(queryset_or_model, **lookup)
    if not user.has_perm(perm, obj):
        raise Http404
    return obj


def paginate(request, queryset, per_page: int = 25):
    from django.core.paginator import Paginator

    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The request's query string without ``page``, for the page links to keep the rest."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def url_of_pk(name: str, key: str = "pk", **kwargs):
    """A function pk -> URL of the route ``name``, reversed once for a list of hundreds of rows.

    ``key`` names the route's argument the pk goes to; ``kwargs`` are its other arguments.
    """
    pattern = reverse(name, kwargs={**kwargs, key: _PLACEHOLDER})
    before, after = pattern.split(str(_PLACEHOLDER), 1)
    return lambda pk: f"{before}{int(pk)}{after}"


def show_refusal(request, exc) -> None:
    """Tell the person on the next page why what they asked was refused, each reason a message
    (a ``ValidationError``'s messages or a refused transition's reasons)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    reasons = exc.messages if isinstance(exc, ValidationError) else getattr(exc, "reasons", [str(exc)])
    for reason in reasons:
        messages.error(request, reason)
