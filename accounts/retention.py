"""How long personal data is kept: a registry of rules, applied every day.

Each app declares its rules in ``<app>/retention.py`` (imported at start)::

    from accounts.retention import rule

    @rule("grants.rejected_drafts", _("Drafts never submitted, after 12 months"))
    def drafts(now):
        old = Application.objects.filter(state="draft", updated_at__lt=now - relativedelta(months=12))
        return old.delete()[0]

A rule receives the current time and returns how many records it deleted or
anonymised.  ``retention_apply()`` runs them all (the Celery task
``accounts.tasks.retention_apply`` daily, ``manage.py apply_retention`` by hand).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass
class RetentionRule:
    name: str
    description: str
    apply: Callable[[datetime], int]


_rules: dict[str, RetentionRule] = {}


def rule(name: str, description):
    """Register ``func(now) -> int`` as the retention rule ``name``."""

    def decorator(func):
        _rules[name] = RetentionRule(name, description, func)
        return func

    return decorator


def retention_rules() -> list[RetentionRule]:
    return [_rules[name] for name in sorted(_rules)]


def retention_apply(*, now: datetime | None = None, only: list[str] | None = None) -> dict[str, int]:
    """Apply every rule (each in its own transaction); return {rule name: records affected}."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for r in retention_rules():
        if only and r.name not in only:
            continue
        try:
            with transaction.atomic():
                done[r.name] = int(r.apply(now) or 0)
        except Exception:  # one broken rule must not stop the others
            logger.exception("Retention rule %s failed", r.name)
            done[r.name] = -1
    return done


# --- The rules of the register and the engine ------------------------------------------------


@rule("accounts.unverified_unused", _("Accounts never confirmed nor used, after 30 days"))
def unverified_unused_accounts(now: datetime) -> int:
    """Someone signed up, never confirmed the address and never signed in: delete the account."""
    from django.contrib.auth import get_user_model
    from django_fsm_log.models import StateLog

    from organizations.models import OrganisationRole, StaffRole

    User = get_user_model()
    cutoff = now - timedelta(days=settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS)
    candidates = (
        User.objects.filter(
            email_verified_at=None,
            last_login=None,
            date_joined__lt=cutoff,
            is_system=False,
            is_staff=False,
            is_superuser=False,
        )
        .exclude(Exists(StaffRole.objects.filter(user=OuterRef("pk"))))
        .exclude(Exists(OrganisationRole.objects.filter(user=OuterRef("pk"))))
        .exclude(Exists(StateLog.objects.filter(by=OuterRef("pk"))))
    )
    return candidates.delete()[1].get(User._meta.label, 0)


@rule(
    "organizations.people_of_inactive_organisations",
    _("Board members and contact people of organisations without users or activity, after 3 years"),
)
def people_of_inactive_organisations(now: datetime) -> int:
    """An organisation nobody acts for any more, unchanged for years: its people rows go."""
    from django.db.models import Max

    from organizations.models import Organisation, OrganisationRole, Person

    cutoff = now - timedelta(days=365 * settings.RETENTION_INACTIVE_ORGANISATION_PEOPLE_YEARS)
    inactive = (
        Organisation.objects.filter(updated_at__lt=cutoff)
        .exclude(Exists(OrganisationRole.objects.filter(organisation=OuterRef("pk"), state="active")))
        .annotate(last_upload=Max("documents__uploaded_at"))
        .filter(Q(last_upload=None) | Q(last_upload__lt=cutoff))
    )
    return Person.objects.filter(organisation__in=inactive.values("pk")).delete()[0]


@rule("workflows.outbox_bodies", _("The text of sent e-mails, after 90 days"))
def outbox_bodies(now: datetime) -> int:
    """Who was told what and when stays; the text of the e-mail goes."""
    from workflows.models import OutboxMessage

    cutoff = now - timedelta(days=settings.RETENTION_OUTBOX_BODY_DAYS)
    return OutboxMessage.objects.filter(created_at__lt=cutoff).exclude(body="").update(body="")


@rule("accounts.sign_in_records", _("Records of sign-ins and failed attempts, after 90 days"))
def sign_in_records(now: datetime) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = now - timedelta(days=settings.RETENTION_LOGIN_ATTEMPT_DAYS)
    count = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    count += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    count += AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return count
