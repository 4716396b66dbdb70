"""The public register as a table: one row per public grant, award or partnership.

``RegisterEntry`` is a read model.  What is public is defined once, by the live query
``insight.selectors.register_source_rows``; ``insight.services.register_refresh`` copies what
it yields for one municipality into this table, and nothing else writes here.  The register
page, the open-data page and files read this table only: a page of one municipality is an
index range, whatever the size of the country.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    GRANT = "grant", _("grant")
    AWARD = "award", _("award")
    PARTNERSHIP = "partnership", _("partnership (IOP)")


class RegisterEntry(models.Model):
    """A decided grant, award or partnership as the public register shows it.

    Names are copied (the organisation's, the program's, the committee's), so that a page needs
    no join; a rename shows after the next refresh (at the latest the nightly one).
    """

    municipality = models.ForeignKey(
        "organizations.Municipality", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    #: the application's, the award candidate's or the partnership's primary key
    object_id = models.PositiveBigIntegerField()
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipient = models.CharField(_("organisation"), max_length=200, blank=True)
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    program = models.ForeignKey(
        "grants.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    program_name = models.CharField(_("program"), max_length=200, blank=True)
    committee = models.ForeignKey(
        "organizations.Committee", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    committee_name = models.CharField(_("committee"), max_length=200, blank=True)
    #: the year of the round (of a partnership: the year its agreement's term starts)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    #: the last year it covers: the same as ``year`` except for a partnership of several years
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    amount = models.DecimalField(_("amount (kr)"), max_digits=14, decimal_places=0, default=0)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=40, blank=True)
    title = models.CharField(_("purpose"), max_length=200, blank=True)
    #: recipient, title, case number and program in lower case, one a line: what the search reads
    search = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="insight_register_one_per_case"),
        ]
        indexes = [
            # the register's order: newest decision first (also the whole municipality's count)
            models.Index(
                fields=["municipality", "-decided_on", "kind", "-object_id"], name="insight_register_newest"
            ),
            # one year (an open-data file; the year filter): last_year >= Y AND year <= Y
            models.Index(fields=["municipality", "last_year", "year"], name="insight_register_year"),
            models.Index(fields=["municipality", "program", "year"], name="insight_register_program"),
            models.Index(fields=["municipality", "committee", "year"], name="insight_register_committee"),
        ]

    def __str__(self):
        return f"{self.case_number} {self.recipient}".strip()
