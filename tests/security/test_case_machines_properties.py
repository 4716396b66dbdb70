"""Property-based: for every case type, random transitions attempted by random people through the
engine (``perform_transition``) keep the invariants of DESIGN.md (applications, award candidates,
partnerships, meetings, follow-up reports, reclaims and board posts):

- a transition happens only from a state the graph allows it from, only for someone holding its
  permission, and lands in the state the graph names;
- every state change has exactly one log row, by the person who made it, and the log is an
  unbroken chain of states; a refused attempt changes nothing and leaves no row.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm_log.models import StateLog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflows.services import TransitionRefused, perform_transition

from ..conftest import ROLES, STAFF_ROLES, build_world


def _application(world):
    from ..grants.factories import application_in

    return application_in(world, "submitted")


def _candidate(world):
    from ..awards.factories import candidate_in

    return candidate_in(world, "received")


def _partnership(world):
    from ..iop.factories import initiative

    return initiative(world)


def _meeting(world):
    import datetime as dt

    from django.utils import timezone

    from meetings import services as meetings

    return meetings.meeting_create(
        committee=world.committee,
        starts_at=timezone.now() + dt.timedelta(days=14),
        place="Kommunhuset",
        by=world.users["secretary"],
    )


def _report(world):
    from ..reporting.factories import report_in

    return report_in(world, "due")


def _reclaim(world):
    from ..reporting.factories import reclaim_in

    return reclaim_in(world, "proposed")


def _board_post(world):
    from ..portal.factories import org_post

    return org_post(world, state="pending")


CASES = {
    "application": _application,
    "candidate": _candidate,
    "partnership": _partnership,
    "meeting": _meeting,
    "report": _report,
    "reclaim": _reclaim,
    "board post": _board_post,
}


def _graph(model) -> dict[str, list]:
    """{transition name: [django-fsm Transition, ...]} as declared on the model."""
    field = model._meta.get_field("state")
    graph: dict[str, list] = {}
    for transition in field.get_all_transitions(model):
        graph.setdefault(transition.name, []).append(transition)
    return graph


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@pytest.mark.parametrize("case_type", sorted(CASES))
@settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_transitions_by_random_people_keep_the_engine_invariants(case_type, data):
    try:
        with transaction.atomic():
            _run(case_type, data)
            raise _Rollback
    except _Rollback:
        pass


def _run(case_type, data):
    world = build_world()
    case = CASES[case_type](world)
    model = type(case)
    graph = _graph(model)
    names = sorted(graph)
    content_type = ContentType.objects.get_for_model(model)
    logs_before = StateLog.objects.filter(content_type=content_type, object_id=case.pk).count()
    expected_state = case.state
    changes = []  # (actor, source, target)

    staff = sorted(STAFF_ROLES)
    for _step in range(data.draw(st.integers(min_value=4, max_value=12), label="steps")):
        case = model.objects.get(pk=case.pk)  # as a new request would load it
        source = case.state
        # Mostly a step the graph offers from here by staff, sometimes anything by anyone.
        offered = sorted({t.name for ts in graph.values() for t in ts if t.source in (source, "*", "+")})
        name = data.draw(
            st.sampled_from(offered) if offered and data.draw(st.integers(0, 3)) else st.sampled_from(names)
        )
        role = data.draw(st.sampled_from(staff) if data.draw(st.booleans()) else st.sampled_from(ROLES))
        actor = world.user(role)
        if actor is None:
            continue
        declared = [t for t in graph[name] if t.source in (source, "*", "+")]
        try:
            with transaction.atomic():
                perform_transition(case, name, by=actor, reason=f"{role}: {name}")
        except PermissionDenied:
            assert declared, f"{name} from {source}: refused for permission, but the graph has no such step"
            assert not declared[0].has_perm(case, actor), f"{role} holds the permission for {name}"
        except TransitionRefused:
            if declared:
                # Allowed from here and permitted: refused only by a condition that says why.
                assert declared[0].has_perm(case, actor)
                assert any(not condition(case) for condition in declared[0].conditions), (
                    f"{name} refused from {source} with no failing condition"
                )
        else:
            assert declared, f"{name} happened from {source}, which the graph does not allow"
            assert declared[0].has_perm(case, actor), f"{role} did {name} without its permission"
            target = model.objects.get(pk=case.pk).state
            assert target == declared[0].target or declared[0].target is None
            changes.append((actor.pk, source, target))
            expected_state = target
        assert model.objects.get(pk=case.pk).state == expected_state, "a refused step changed the state"

    rows = list(
        StateLog.objects.filter(content_type=content_type, object_id=case.pk).order_by("timestamp", "pk")
    )[logs_before:]
    assert [(r.by_id, r.source_state, r.state) for r in rows] == changes, (
        "one log row per change, by its maker"
    )
