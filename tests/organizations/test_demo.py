"""The demo can be walked: every person in it can sign in, and it says so briefly."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_KEY
from grants.models import Round
from meetings.models import Attendance
from organizations.demo import DEMO_PASSWORD
from organizations.models import StaffRole, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_output(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as `make run` has it
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _can_sign_in(user: User) -> bool:
    staff = StaffRole.objects.filter(user=user).exists() or user.is_staff
    device = TOTPDevice.objects.filter(user=user, key=DEMO_KEY, confirmed=True).exists()
    return user.check_password(DEMO_PASSWORD) and (device or not staff)


def test_the_demo_can_be_walked(demo_output):
    """One load of the demo (it takes 20 s), things a newcomer notices, and a second load."""
    _ends_with_the_logins_and_prints_no_mail(demo_output)
    _every_member_and_both_adjusters_of_every_meeting_can_sign_in(demo_output)
    _rounds_close_at_the_end_of_a_day()
    _histories_spread_over_the_past_year_and_a_half()
    _an_application_has_a_question_and_its_answer_on_its_page()
    _a_second_load_leaves_the_histories_as_they_were()


def _ends_with_the_logins_and_prints_no_mail(demo_output):
    lines = demo_output.strip().splitlines()
    assert len(lines) < 20, demo_output
    assert "Message-ID" not in demo_output
    assert "demo_code" in lines[-1]
    for email in re.findall(r"[\w.]+@[\w.]+", demo_output):
        assert _can_sign_in(User.objects.get(email=email)), email


def _every_member_and_both_adjusters_of_every_meeting_can_sign_in(demo_output):
    members = User.objects.filter(staff_roles__role=StaffRole.Role.MEMBER).distinct()
    assert members.count() >= 7  # a committee of realistic size
    adjusters = User.objects.filter(pk__in=Attendance.objects.filter(adjuster=True).values("user"))
    held = Attendance.objects.filter(meeting__state__in=["held", "minutes_approved", "posted", "final"])
    assert (
        held.exists() and not held.exclude(meeting__attendances__role="chair").exists()
    )  # minutes name a chair
    assert adjusters.count() >= 2
    for user in [*members, *adjusters]:
        assert _can_sign_in(user), user.email
        assert user.email in demo_output


def _an_application_has_a_question_and_its_answer_on_its_page():
    from correspondence.models import Message

    sides = (
        Message.objects.filter(kind=Message.Kind.MESSAGE)
        .order_by("created_at")
        .values_list("side", flat=True)
    )
    assert list(sides) == [Message.Side.ORGANISATION, Message.Side.STAFF]


def _rounds_close_at_the_end_of_a_day():
    rounds = Round.objects.all()
    assert rounds.exists()
    for round in rounds:
        closes = timezone.localtime(round.closes_at)
        assert (closes.hour, closes.minute) == (23, 59), (round, closes)


def _histories_spread_over_the_past_year_and_a_half():
    """Each case's history runs over the days its story happened, as its own dates say."""
    import datetime as dt
    from collections import defaultdict

    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    from grants.models import Application
    from meetings.models import Decision
    from payments.models import Payment
    from reporting.models import FollowUpReport

    now = timezone.now()
    rows = list(StateLog.objects.select_related("content_type").order_by("pk"))
    stamps = [row.timestamp for row in rows]
    assert min(stamps) < now - dt.timedelta(days=365) and max(stamps) <= now
    assert max(stamps) < now - dt.timedelta(hours=1)  # nothing happened as the demo was loaded
    histories = defaultdict(list)
    for row in rows:
        histories[row.content_type, row.object_id].append(row)
    for (content_type, pk), history in histories.items():
        case = content_type.get_object_for_this_type(pk=pk)
        times = [row.timestamp for row in history]
        assert times == sorted(times), (case, [(r.transition, r.timestamp) for r in history])
        for born in ("created_at", "registered_at"):  # nothing happened before the case existed
            assert getattr(case, born, None) is None or getattr(case, born) <= times[0], (case, born)

    def logged(case, transition):
        return StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(type(case)),
            object_id=case.pk,
            transition=transition,
        ).values_list("timestamp", flat=True)

    for application in Application.objects.exclude(submitted_at=None):  # submitted when the log says
        assert (
            list(logged(application, "submit")) == [application.submitted_at] == [application.registered_at]
        )
    for report in FollowUpReport.objects.exclude(submitted_at=None):
        assert list(logged(report, "submit")) == [report.submitted_at]
    for decision in Decision.objects.select_related("item__meeting"):  # decided when the log says
        assert StateLog.objects.filter(
            content_type=decision.content_type, object_id=decision.object_id, timestamp=decision.decided_at
        ).exists(), decision
        if decision.final_at:
            assert list(logged(decision.item.meeting, "make_final")) == [decision.final_at]
    # a decided application was submitted before its round closed and decided on its meeting's day
    decision = Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), item__kind="decision"
    ).first()
    application = Application.objects.select_related("round").get(pk=decision.object_id)
    assert application.submitted_at <= application.round.closes_at
    assert decision.decided_at == decision.item.meeting.starts_at
    paid = Payment.objects.filter(state=Payment.State.PAID)
    assert paid.exists()
    for payment in paid:  # paid on the day its row says, after its decision
        # a grant's payment is paid through the bank's file; a partnership's contribution directly
        (when,) = logged(payment, "mark_paid" if payment.decision_id else "pay")
        assert timezone.localdate(when) == payment.paid_on
        assert payment.decision is None or when > payment.decision.decided_at
    assert paid.filter(decision=None).exists(), "the demo's partnership has a contribution paid"


def _a_second_load_leaves_the_histories_as_they_were():
    from django_fsm_log.models import StateLog

    from grants.models import Application

    def story():
        return (
            list(StateLog.objects.order_by("pk").values_list("pk", "timestamp")),
            list(Application.objects.order_by("pk").values_list("pk", "submitted_at", "created_at")),
        )

    before = story()
    call_command("seed_demo", stdout=io.StringIO())
    assert story() == before
