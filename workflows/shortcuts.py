"""Helpers every view uses to find an object the user may see."""

from django.http import Http404
from django.shortcuts import get_object_or_404


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
