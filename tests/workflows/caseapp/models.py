"""A minimal case type: a matter an organisation asks a committee about, with an amount."""

from django.db import models
from django_fsm import FSMField, transition

from workflows.models import CaseModel


class Budget(models.Model):
    committee = models.OneToOneField("organizations.Committee", on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=0)
    granted = models.DecimalField(max_digits=12, decimal_places=0, default=0)

    def __str__(self):
        return f"{self.amount} kr"


class Matter(CaseModel):
    class State(models.TextChoices):
        DRAFT = "draft", "draft"
        PROPOSED = "proposed", "proposed"
        GRANTED = "granted", "granted"
        REJECTED = "rejected", "rejected"
        NOTED = "noted", "noted"

    view_permission = "caseapp.view_matter"

    committee = models.ForeignKey("organizations.Committee", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    program = models.CharField(max_length=100, default="Verksamhetsstöd 2027 – omgång 1")
    requested = models.DecimalField(max_digits=12, decimal_places=0)
    proposed = models.DecimalField(max_digits=12, decimal_places=0, null=True)
    motivation = models.TextField(blank=True)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    granted_amount = models.DecimalField(max_digits=12, decimal_places=0, null=True)
    state = FSMField(default=State.PROPOSED, choices=State.choices, protected=True)

    def __str__(self):
        return f"{self.organisation} – ansökan om verksamhetsstöd"

    @transition(field=state, source=State.PROPOSED, target=State.GRANTED)
    def grant(self):
        pass

    @transition(field=state, source=State.PROPOSED, target=State.REJECTED)
    def reject(self):
        pass

    @transition(field=state, source=State.PROPOSED, target=State.NOTED)
    def note(self):
        pass
