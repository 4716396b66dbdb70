"""Property-based: random sequences of role requests and decisions by random people never
break the invariants of the organisation-role state machine (DESIGN.md, invariants 8 and 9)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm_log.models import StateLog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.models import OrganisationRole, User
from organizations.services import role_decide, role_request, role_revoke
from workflows.services import TransitionRefused

from ..conftest import build_world
from ..factories import UserFactory

ACTORS = ["applicant", "other_applicant", "caseworker", "other_caseworker", "secretary", "joiner1", "joiner2"]
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["request", "approve", "reject", "revoke"]),
        st.sampled_from(ACTORS),
        st.integers(min_value=0, max_value=20),  # which role (modulo how many exist)
        st.sampled_from(["organisation", "other_organisation"]),
    ),
    min_size=1,
    max_size=25,
)


class _Rollback(Exception):
    pass


def _may_decide(model, actor_name, role_id, world) -> bool:
    """The rule, stated independently of the code: the organisation's active signatory, not for
    their own role.  Staff of a municipality never decide an organisation's roles."""
    role = model[role_id]
    org = role["org"]
    signatory = any(
        r["user"] == actor_name and r["org"] == org and r["state"] == "active" and r["kind"] == "signatory"
        for r in model.values()
    )
    return signatory and role["user"] != actor_name


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
def test_random_transitions_by_random_people_keep_the_invariants(steps):
    try:
        with transaction.atomic():
            _run(steps)
            raise _Rollback
    except _Rollback:
        pass


def _run(steps):
    world = build_world()
    users = dict(world.users)
    users["joiner1"] = UserFactory(email="j1@example.se")
    users["joiner2"] = UserFactory(email="j2@example.se")
    names = {u.pk: n for n, u in users.items() if u is not None}
    orgs = {"organisation": world.organisation, "other_organisation": world.other_organisation}
    org_names = {o.pk: n for n, o in orgs.items()}
    model = {
        r.pk: {
            "user": names[r.user_id],
            "org": org_names[r.organisation_id],
            "state": r.state,
            "kind": r.kind,
        }
        for r in OrganisationRole.objects.all()
    }
    changes = {pk: 0 for pk in model}
    role_type = ContentType.objects.get_for_model(OrganisationRole)
    logs_before = {pk: StateLog.objects.filter(content_type=role_type, object_id=pk).count() for pk in model}

    for action, actor_name, index, org_name in steps:
        actor = User.objects.get(pk=users[actor_name].pk)  # fresh, as in a new request
        if action == "request":
            open_role = any(
                r["user"] == actor_name and r["org"] == org_name and r["state"] in ("requested", "active")
                for r in model.values()
            )
            try:
                role = role_request(organisation=orgs[org_name], by=actor)
            except ValidationError:
                assert open_role, f"{actor_name} was refused a first request to {org_name}"
                continue
            assert not open_role, f"{actor_name} got a second open role in {org_name}"
            model[role.pk] = {"user": actor_name, "org": org_name, "state": "requested", "kind": "member"}
            changes[role.pk] = 0
            logs_before[role.pk] = 0
            continue

        role_id = sorted(model)[index % len(model)]
        before = model[role_id]["state"]
        source, target = {
            "approve": ("requested", "active"),
            "reject": ("requested", "rejected"),
            "revoke": ("active", "revoked"),
        }[action]
        role = OrganisationRole.objects.get(pk=role_id)
        try:
            if action == "revoke":
                role_revoke(role=role, by=actor)
            else:
                role_decide(role=role, by=actor, approve=action == "approve")
        except PermissionDenied:
            assert before == source and not _may_decide(model, actor_name, role_id, None), (
                f"{actor_name} was wrongly refused to {action}"
            )
        except TransitionRefused:
            assert before != source, f"{action} refused from {before}"
        else:
            assert before == source, f"{action} happened from {before}"
            assert _may_decide(model, actor_name, role_id, None), (
                f"{actor_name} could {action} without permission"
            )
            model[role_id]["state"] = target
            changes[role_id] += 1
        # The database agrees with the model after every step, refused or not.
        assert OrganisationRole.objects.get(pk=role_id).state == model[role_id]["state"]

    for pk, count in changes.items():
        rows = StateLog.objects.filter(content_type=role_type, object_id=pk).order_by("timestamp", "pk")
        assert rows.count() - logs_before[pk] == count, "one log row per state change"
        new_rows = list(rows)[logs_before[pk] :]
        for previous, row in zip(new_rows, new_rows[1:], strict=False):
            assert row.source_state == previous.state, "the log is a continuous chain of states"
        if new_rows:
            assert new_rows[-1].state == model[pk]["state"]
            assert all(r.by_id is not None for r in new_rows)


@pytest.mark.django_db
def test_state_cannot_be_set_directly(world):
    role = world.users["applicant"].org_roles.get()
    with pytest.raises(AttributeError):
        role.state = "revoked"
