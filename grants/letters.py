"""The text of decision letters: per-program templates with ``{placeholder}`` fields.

A program administrator edits the subject and the body.  The placeholder
syntax is deliberately tiny: ``{organisation}`` is replaced by a value from a
fixed list and nothing else is evaluated (no attribute access, no template
tags), so an edited text can neither reach data it should not nor break the
letter.  The facts of the decision (amount, conditions, grant period, report
due date, reasons) and the appeal instructions are always part of the letter
itself, outside the editable text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.templatetags.bidra import kr

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

#: the placeholders a letter text may use, with what they stand for (shown on the edit page)
PLACEHOLDERS = {
    "organisation": gettext_lazy("the organisation's name"),
    "case_number": gettext_lazy("the case number"),
    "title": gettext_lazy("the title of the application"),
    "program": gettext_lazy("the grant program"),
    "round": gettext_lazy("the round"),
    "year": gettext_lazy("the budget year"),
    "requested_amount": gettext_lazy("the amount applied for"),
    "amount": gettext_lazy("the granted amount"),
    "decision": gettext_lazy("the decision (granted, partly granted, rejected)"),
    "decided_on": gettext_lazy("the date of the decision"),
    "decided_by": gettext_lazy("the committee, or the official deciding by delegation"),
    "committee": gettext_lazy("the committee"),
    "municipality": gettext_lazy("the municipality"),
    "grant_period": gettext_lazy("the grant period"),
    "report_due": gettext_lazy("the date the follow-up report is due"),
    "contact": gettext_lazy(
        "whom to contact about the decision: name, e-mail and phone (the program's contact person or, "
        "without one, the caseworker who prepared the decision)"
    ),
}

#: the texts a program starts with; the letters are written in Swedish
DEFAULT_TEXTS = {
    "granted": (
        "Beslut om {program}: {organisation} beviljas {amount}",
        "Hej!\n\n{decided_by} har den {decided_on} beslutat att bevilja {organisation} {amount} "
        "i {program} för {year}, som ni ansökte om i ärende {case_number}.\n\n"
        "Bidraget betalas ut till föreningens registrerade bankgiro eller plusgiro. "
        "Läs villkoren nedan noga: de gäller för hela bidragsperioden.\n\n"
        "Hör gärna av er om ni har frågor om beslutet.",
    ),
    "partly_granted": (
        "Beslut om {program}: {organisation} beviljas {amount} av sökta {requested_amount}",
        "Hej!\n\n{decided_by} har den {decided_on} beslutat att bevilja {organisation} {amount} "
        "i {program} för {year}. Ni ansökte om {requested_amount} i ärende {case_number}.\n\n"
        "Skälen till att ni beviljas en del av beloppet står nedan. "
        "Bidraget betalas ut till föreningens registrerade bankgiro eller plusgiro.\n\n"
        "Hör gärna av er om ni har frågor om beslutet.",
    ),
    "rejected": (
        "Beslut om {program}: ansökan från {organisation} avslås",
        "Hej!\n\n{decided_by} har den {decided_on} beslutat att avslå ansökan från {organisation} "
        "om {requested_amount} i {program} för {year} (ärende {case_number}).\n\n"
        "Skälen till beslutet står nedan. Ni är välkomna att söka igen i en kommande omgång.\n\n"
        "Hör gärna av er om ni har frågor om beslutet.",
    ),
}


def check_placeholders(text: str) -> None:
    """Refuse a text with a placeholder that is not on the list (a typo would reach the applicant)."""
    candidates = re.findall(r"\{([^{}]*)\}", text)
    unknown = sorted({c for c in candidates if c not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Use only the placeholders listed.")
            % {"names": ", ".join("{" + n + "}" for n in unknown)}
        )
    stray = re.sub(r"\{[^{}]*\}", "", text)
    if "{" in stray or "}" in stray:
        raise ValidationError(
            _("A curly bracket is not part of a placeholder. Write placeholders as {organisation}.")
        )


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each known placeholder; nothing else in the text is interpreted."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass
class LetterText:
    subject: str
    paragraphs: list[str]


def template_for(program, outcome: str):
    """The program's template for ``outcome``, or an unsaved one with the default text."""
    from .models import LetterTemplate

    template = LetterTemplate.objects.filter(program=program, outcome=outcome).first()
    if template is None:
        subject, body = DEFAULT_TEXTS[outcome]
        template = LetterTemplate(program=program, outcome=outcome, subject=subject, body=body)
    return template


def _day(value) -> str:
    return date_format(value, "Y-m-d") if value else ""


def program_letter_contact(*, program, case=None, decision=None, prepared_by=None):
    """Whom a letter on a case of ``program`` (a grant, its dismissal or reclaim, an award) names
    as the contact: the program's contact person, else who prepared the decision
    (``meetings.contacts.letter_contact``)."""
    from meetings.contacts import letter_contact

    return letter_contact(
        committee=program.committee,
        name=program.contact_name,
        email=program.contact_email,
        phone=program.contact_phone,
        case=case,
        decision=decision,
        prepared_by=prepared_by,
    )


def placeholder_values(application, decision, *, contact=None) -> dict[str, str]:
    """The values of every placeholder for one decided application (always in the same form).

    ``contact``: the letter's ``LetterContact``, when the caller has it already."""
    program = application.round.program
    if contact is None:
        contact = program_letter_contact(program=program, case=application, decision=decision)
    if decision.delegated:
        decided_by = _("%(name)s, by delegation from %(committee)s") % {
            "name": decision.decided_by.full_name,
            "committee": decision.committee.name,
        }
    else:
        decided_by = decision.committee.name
    period = ""
    if decision.period_start or decision.period_end:
        period = f"{_day(decision.period_start)} – {_day(decision.period_end)}"
    return {
        "organisation": application.organisation.name,
        "case_number": application.case_number,
        "title": application.title,
        "program": program.name,
        "round": application.round.name,
        "year": str(application.round.year),
        "requested_amount": kr(application.requested_amount),
        "amount": kr(decision.amount) if decision.amount else kr(0),
        "decision": str(decision.get_outcome_display()),
        "decided_on": _day(timezone.localtime(decision.decided_at).date()),
        "decided_by": decided_by,
        "committee": decision.committee.name,
        "municipality": decision.committee.municipality.name,
        "grant_period": period,
        "report_due": _day(decision.report_due),
        "contact": str(contact),
    }


def letter_text(template, values: dict[str, str]) -> LetterText:
    body = fill(template.body, values).replace("\r\n", "\n")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    return LetterText(subject=fill(template.subject, values).strip(), paragraphs=paragraphs)


def example_values(program) -> dict[str, str]:
    """Made-up values for the preview of a template."""
    today = timezone.localdate()
    return {
        "organisation": "Föreningen Exempel",
        "case_number": f"{program.committee.code} {today.year}/123",
        "title": program.name,
        "program": program.name,
        "round": _("Round 1"),
        "year": str(today.year),
        "requested_amount": kr(60000),
        "amount": kr(45000),
        "decision": _("granted"),
        "decided_on": _day(today),
        "decided_by": program.committee.name,
        "committee": program.committee.name,
        "municipality": program.municipality.name,
        "grant_period": f"{today.year}-01-01 – {today.year}-12-31",
        "report_due": f"{today.year + 1}-03-31",
        "contact": str(program_letter_contact(program=program, prepared_by=_example_caseworker())),
    }


def _example_caseworker():
    """Who the preview names as the caseworker, when the program has no contact person."""
    from django.contrib.auth import get_user_model

    return get_user_model()(full_name="Kim Handläggare", email="kim.handlaggare@kommun.example")
