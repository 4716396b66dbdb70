"""Who does what next with an application: a viewflow process whose artifact is the application.

The application's state machine (models.py) is the truth about the case; the
flow only decides which task is waiting for whom.  Human steps are View tasks
shown in our own inbox (viewflow's own views are never routed); the services
complete them when the caseworker performs the matching transition.  The
completion deadline is a timer boundary on the waiting step: when it passes
without an answer, a task proposing dismissal appears in the inbox.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import STATUS, flow, lock
from viewflow.workflow.models import Process, Task

from workflows.statelog import log_transition

from .models import Application

S = Application.State
HUMAN_OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
#: the only states in which the flow below can wait for a caseworker (screen, check_completion,
#: lapsed, assess); the inbox looks for open tasks among these applications only.  A new human
#: step in another state must add that state here.
WAITING_STATES = (S.SUBMITTED, S.COMPLETION_REQUESTED, S.IN_ASSESSMENT, S.ASSESSED)


def _not_routed(request, **kwargs):  # pragma: no cover - viewflow's views are never exposed
    from django.http import Http404

    raise Http404


def _state_of(activation) -> str:
    return Application.objects.values_list("state", flat=True).get(pk=activation.process.artifact_object_id)


class ApplicationFlow(flow.Flow):
    """Grant application

    Screening, completion, assessment and proposal of one application."""

    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_case).Next(this.screen)

    screen = (
        flow.View(_not_routed)
        .Annotation(title=_("Screen the application"))
        .Permission("grants.handle_application", obj=lambda process: process.artifact)
        .Next(this.route)
    )

    route = (
        flow.Switch()
        .Case(this.await_completion, lambda a: _state_of(a) == S.COMPLETION_REQUESTED)
        .Case(this.assess, lambda a: _state_of(a) == S.IN_ASSESSMENT)
        .Case(this.screen, lambda a: _state_of(a) == S.SUBMITTED)
        .Default(this.end)
    )

    await_completion = (
        flow.Handle()
        .Annotation(title=_("Wait for the completion"))
        .OnTimeout(this.completion_due, this.lapsed, title=_("The completion deadline passes"))
        .Next(this.after_answer)
    )

    after_answer = flow.If(lambda a: _state_of(a) == S.SUBMITTED).Then(this.check_completion).Else(this.end)

    check_completion = (
        flow.View(_not_routed)
        .Annotation(title=_("Check the completion"))
        .Permission("grants.handle_application", obj=lambda process: process.artifact)
        .Next(this.route)
    )

    lapsed = (
        flow.View(_not_routed)
        .Annotation(title=_("Completion not received: propose dismissal"))
        .Permission("grants.handle_application", obj=lambda process: process.artifact)
        .onCreate(this.on_lapsed)
        .Next(this.route)
    )

    assess = (
        flow.View(_not_routed)
        .Annotation(title=_("Assess and propose"))
        .Permission("grants.handle_application", obj=lambda process: process.artifact)
        .Next(this.route)
    )

    end = flow.End()

    def start_case(self, activation, application):
        activation.process.artifact = application
        return activation.process

    def completion_due(self, activation):
        application = Application.objects.get(pk=activation.process.artifact_object_id)
        deadline = application.completion_deadline or timezone.localdate()
        # due once the whole deadline day has passed
        return timezone.make_aware(datetime.combine(deadline, time.max))

    def on_lapsed(self, activation):
        from .services import completion_lapsed

        completion_lapsed(application_id=activation.process.artifact_object_id)


def processes_of(application) -> Process:
    return Process.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(Application),
        artifact_object_id=application.pk,
    )


def open_tasks(application):
    return Task.objects.filter(
        process__in=processes_of(application),
        flow_task_type="HUMAN",
        status__in=HUMAN_OPEN,
    ).select_related("owner")


def flow_start(*, application: Application) -> None:
    """Start the application's process, in the submission's transaction (viewflow's own start
    from code: the process, its start task and the first task to screen the application).

    The caller holds the application's row lock and has seen it a draft: a draft has no process
    (its process starts with the submission, and nothing returns an application to draft)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("start the application's flow inside the submission's transaction")
    ApplicationFlow.start.run(application=application)


def flow_complete_human_task(*, application: Application, by) -> None:
    """The caseworker's transition finishes the waiting human task; the flow routes on."""
    for task in open_tasks(application):
        with task.activation() as activation:
            if activation.task.status == STATUS.NEW:
                activation.assign(by)
            if activation.task.status == STATUS.ASSIGNED:
                if activation.task.owner_id != by.pk:
                    activation.reassign(by)
                    log_transition(activation.task, "reassign", STATUS.ASSIGNED, STATUS.ASSIGNED, by=by)
                activation.start(None)
            activation.execute()


def flow_completion_answered(*, application: Application) -> None:
    task = (
        Task.objects.filter(
            process__in=processes_of(application),
            flow_task=ApplicationFlow.await_completion,
            status=STATUS.NEW,
        )
        .order_by("-pk")
        .first()
    )
    if task is not None:
        ApplicationFlow.await_completion.run(task)


def flow_close(*, application: Application, by) -> None:
    """Withdrawn or dismissed: finish whatever waits, so the flow reaches its end."""
    flow_complete_human_task(application=application, by=by)
    flow_completion_answered(application=application)


def _lock_application_of(task: Task) -> None:
    """Wait for the application's row lock, as every transition of the application does, before
    viewflow's own process lock. That lock does not wait (``nowait``) and, inside a transaction,
    a refused ``nowait`` leaves the transaction aborted; holding the application first makes the
    second of two people wait for the first instead."""
    Application.objects.select_for_update().filter(pk=task.process.artifact_object_id).exists()


def task_claim(*, task: Task, by) -> bool:
    """Take an unclaimed task, by viewflow's own ``assign`` under the process's lock, logged.
    Of two people claiming at once, the second finds the task taken and gets ``False``."""
    with transaction.atomic():
        _lock_application_of(task)
        return _claim(task, by)


def _claim(task: Task, by) -> bool:
    with task.activation() as activation:
        if activation.task.status != STATUS.NEW or activation.task.owner_id:
            return False
        activation.task.assigned = timezone.now()
        activation.assign(by)
        log_transition(activation.task, "assign", STATUS.NEW, STATUS.ASSIGNED, by=by)
    return True


def task_assign(*, task: Task, to, by) -> None:
    """Give an open task to ``to`` (viewflow's ``assign`` or ``reassign``), logged as done by ``by``."""
    with transaction.atomic():
        _lock_application_of(task)
        _assign(task, to, by)


def _assign(task: Task, to, by) -> None:
    with task.activation() as activation:
        status = activation.task.status
        if status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise ValueError("closed")
        activation.task.assigned = timezone.now()
        if status == STATUS.NEW:
            activation.assign(to)
        else:
            activation.reassign(to)
        log_transition(
            activation.task,
            "assign" if status == STATUS.NEW else "reassign",
            status,
            STATUS.ASSIGNED,
            by=by,
            reason=to.full_name,
        )
