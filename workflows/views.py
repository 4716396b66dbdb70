import io
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm_log.models import StateLog

from . import registry
from .attention import panels_for
from .models import StatefulModel
from .services import TransitionRefused, transition_check
from .text import text_check


@login_required
def home(request):
    return render(request, "home.html", {"panels": panels_for(request)})


@login_required
def history(request, app_label, model, pk):
    """The transition log of any case the user may see."""
    try:
        model_class = apps.get_model(app_label, model)
    except LookupError as exc:
        raise Http404 from exc
    if not issubclass(model_class, StatefulModel) or not model_class.view_permission:
        raise Http404
    case = get_object_or_404(model_class, pk=pk)
    if not request.user.has_perm(model_class.view_permission, case):
        raise Http404
    entries = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(model_class), object_id=case.pk
        )
        .exclude(transition="internal_note")  # the staff's notes on a case's thread are theirs alone
        .select_related("by")
        .order_by("timestamp", "pk")
    )
    state_labels = dict(model_class._meta.get_field("state").flatchoices)
    rows = [
        {
            "entry": e,
            "source": state_labels.get(e.source_state, e.source_state),
            "target": state_labels.get(e.state, e.state),
        }
        for e in entries
    ]
    return render(request, "workflows/history.html", {"case": case, "rows": rows})


#: what the source archive leaves out: what the installation makes or installs itself
_NOT_SOURCE = {".venv", "var", ".git", "__pycache__", "node_modules", ".pytest_cache", ".hypothesis"}
_SOURCE_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".po", ".md", ".toml", ".cfg", ".svg", ".json"}


def source(request):
    """Where the source of this installation is (AGPL-3.0 section 13): linked from every page."""
    return render(request, "workflows/source.html", {"source_url": settings.SOURCE_URL})


def source_archive(request):
    """The source this installation runs, as a ZIP file made from its own files."""
    base = Path(settings.BASE_DIR)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(base)
            if _NOT_SOURCE.intersection(relative.parts) or not path.is_file():
                continue
            if path.suffix in _SOURCE_SUFFIXES or path.name in {"LICENSE", "Makefile", "manage.py"}:
                archive.write(path, Path("bidra") / relative)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="bidra.zip"'
    return response


@login_required
@require_POST
def transition(request, name, *, case_model, **kwargs):
    """Take the registered step ``name`` of a case from its page (see ``workflows.registry``).

    Each app routes its own URL here with ``case_model`` ("app_label.Model") and the URL's
    keywords, which the case type's ``get`` uses to find the case the user may see.  Permission
    is the transition's own (403 without it); a refusal or bad input comes back as a message on
    the case page.
    """
    try:
        model = apps.get_model(case_model)
    except LookupError as exc:
        raise Http404 from exc
    kind = registry.case_type(model)
    step = registry.lookup(model, name)
    if kind is None or kind.get is None or step is None:
        raise Http404
    case = kind.get(request, **kwargs)
    if not transition_check(case, name, by=request.user).permitted:
        raise PermissionDenied
    back = kind.page(case, **kwargs)
    form = step.bind(request.POST)
    if not form.is_valid():
        if kind.invalid is not None:
            return kind.invalid(request, case, name, form)
        for message in registry.errors(form):
            messages.error(request, message)
        return redirect(back)
    try:
        for value in request.POST.values():
            text_check(value)
        step.run(case, request.user, form.cleaned_data)
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (TypeError, ValueError):
        messages.error(request, _("Check the values you entered."))
    else:
        case.refresh_from_db()
        messages.success(request, kind.done(case, name) if kind.done else _done(case))
    return redirect(back)


def _done(case) -> str:
    return _("Done: it is now “%(state)s”.") % {"state": case.get_state_display()}
