"""Helpers every view uses to find an object the user may see."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

#: a pk no row has, standing in for the real one while a URL or a statement is prepared
_PLACEHOLDER = 2_147_483_647


class PreparedGet:
    """``queryset.get(pk=…)`` with the SQL compiled once per process and database.

    Django compiles a query again every time it runs; for a ``select_related`` of several
    tables compiling costs about as much as running it (1 ms of the 2 ms an application with its
    round, program, committee, municipality and organisation takes here).  The compiled
    statement is kept and run with each pk, and its row becomes model instances as Django's own
    ``ModelIterable`` makes them (the same converters, ``from_db`` and related populators; a
    test compares the result with the queryset's own ``get``).  The queryset's SQL must not depend
    on the moment it is compiled (no ``now()`` computed in Python, no per-request values)."""

    def __init__(self, make_queryset: Callable[[], QuerySet]):
        self._make_queryset = make_queryset
        self._model = None
        self._compiled: dict[str, tuple] = {}

    def _compile(self, db: str) -> tuple:
        queryset = self._make_queryset()
        pk = queryset.model._meta.pk
        placeholder = pk.get_db_prep_value(
            pk.to_python(_PLACEHOLDER), connections[db]
        )  # "2147483647" for a text key
        queryset = queryset.filter(pk=placeholder)
        if queryset._known_related_objects or queryset.query.annotation_select:
            raise ValueError("PreparedGet takes a queryset without annotations or known related objects")
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        if list(params).count(placeholder) != 1:
            raise ValueError("the queryset's SQL must take the pk as its only parameter of that value")
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        return (
            compiler,
            sql,
            tuple(params),
            list(params).index(placeholder),
            (start, end),
            init_list,
            get_related_populators(klass_info, select, db),
        )

    def get(self, pk, *, using: str | None = None):
        """The object with this pk, or None."""
        model = self._model = self._model or self._make_queryset().model
        db = using or router.db_for_read(model)
        compiled = self._compiled.get(db)
        if compiled is None:
            compiled = self._compiled[db] = self._compile(db)
        compiler, sql, params, at, (start, end), init_list, populators = compiled
        try:
            value = model._meta.pk.get_db_prep_value(model._meta.pk.to_python(pk), connections[db])
        except (ValidationError, TypeError, ValueError):
            return None
        with connections[db].cursor() as cursor:
            cursor.execute(sql, (*params[:at], value, *params[at + 1 :]))
            rows = cursor.fetchall()
        for row in compiler.results_iter([rows]):
            obj = model.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            return obj
        return None


def get_permitted_or_404(queryset_or_model, perm: str, user, **lookup):
    """The object, if it exists and ``user`` holds ``perm`` for it; else 404.

    A 404 rather than a 403, so that guessing ids tells nothing about what exists.
    ``queryset_or_model`` may be a ``PreparedGet``, with the lookup ``pk``.
    """
    if isinstance(queryset_or_model, PreparedGet):
        (key, pk), *others = lookup.items()
        if key != "pk" or others:
            raise TypeError("a PreparedGet looks up by pk only")
        obj = queryset_or_model.get(pk)
        if obj is None:
            raise Http404
    else:
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
