"""One way to change state: permission, conditions, save and one log row, together or not at all."""

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from organizations.models import OrganisationRole
from workflows.services import CaseChangedMeanwhile, TransitionRefused, perform_transition, transitions_for

from ..factories import OrganisationFactory, UserFactory, active_role


@pytest.fixture
def request_to_join(db):
    organisation = OrganisationFactory()
    signatory = UserFactory(full_name="Siv Signatär")
    active_role(signatory, organisation)
    joiner = UserFactory(full_name="Nina Ny")
    role = OrganisationRole.objects.create(user=joiner, organisation=organisation)
    return role, signatory, joiner


def _log(role):
    return list(StateLog.objects.for_(role).order_by("pk"))


def test_a_transition_saves_the_state_and_writes_one_log_row_with_who_and_why(request_to_join):
    role, signatory, _joiner = request_to_join
    perform_transition(role, "approve", by=signatory, reason="Ny kassör")
    role.refresh_from_db()
    assert role.state == OrganisationRole.State.ACTIVE
    [entry] = _log(role)
    assert (entry.by, entry.source_state, entry.state, entry.description) == (
        signatory,
        "requested",
        "active",
        "Ny kassör",
    )


def test_a_user_without_permission_is_refused_and_nothing_changes(request_to_join):
    role, _signatory, joiner = request_to_join
    with pytest.raises(PermissionDenied):
        perform_transition(role, "approve", by=joiner)  # nobody approves their own request
    role.refresh_from_db()
    assert role.state == OrganisationRole.State.REQUESTED
    assert _log(role) == []


def test_a_transition_from_the_wrong_state_is_refused_with_a_reason(request_to_join):
    role, signatory, _joiner = request_to_join
    perform_transition(role, "reject", by=signatory)
    with pytest.raises(TransitionRefused, match="avslagen"):
        perform_transition(role, "approve", by=signatory)
    assert len(_log(role)) == 1


def test_two_people_acting_at_once_one_wins_and_the_other_is_told(request_to_join):
    role, signatory, _joiner = request_to_join
    stale = OrganisationRole.objects.get(pk=role.pk)
    perform_transition(role, "approve", by=signatory)
    with pytest.raises(CaseChangedMeanwhile):
        perform_transition(stale, "reject", by=signatory)
    role.refresh_from_db()
    assert role.state == OrganisationRole.State.ACTIVE
    assert len(_log(role)) == 1


def test_the_page_can_list_what_a_user_may_do_and_why_not(request_to_join):
    role, signatory, joiner = request_to_join
    assert [(o.name, o.allowed) for o in transitions_for(role, by=signatory)] == [
        ("approve", True),
        ("reject", True),
    ]
    assert all(not o.permitted for o in transitions_for(role, by=joiner))


def test_a_history_built_afterwards_carries_the_time_it_happened_not_the_time_it_was_written(
    request_to_join,
):
    import datetime

    from django.utils import timezone

    from workflows.statelog import history_at

    role, signatory, _joiner = request_to_join
    then = timezone.now() - datetime.timedelta(days=400)
    with history_at(then):
        perform_transition(role, "approve", by=signatory, reason="Ny kassör")
    perform_transition(role, "revoke", by=signatory, reason="Avgått")
    first, second = _log(role)
    assert first.timestamp == then
    assert timezone.now() - second.timestamp < datetime.timedelta(minutes=1)
