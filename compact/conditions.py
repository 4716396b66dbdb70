"""Conditions of the compact's transitions: each can say why the answer is no."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.checks import check


@check(_("Record the adopting decision (date and reference) first."))
def compact_adoption_recorded(compact) -> bool:
    return bool(compact.adopted_on and compact.adoption_reference)


@check(_("The compact needs all six principles with their local wording."))
def compact_has_six_principles(compact) -> bool:
    return compact.principles.exclude(wording="").count() == 6


@check(_("The term of the compact has not ended yet."))
def compact_term_over(compact) -> bool:
    return bool(compact.term_end) and compact.term_end <= timezone.localdate()


@check(_("A decision says that the compact is not renewed."))
def compact_will_renew(compact) -> bool:
    return compact.will_renew


@check(_("The compact is renewed for a new term."))
def compact_will_not_renew(compact) -> bool:
    return not compact.will_renew
