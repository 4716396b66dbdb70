"""One way in: what a municipality offers civil society, who guides, who is listed, and the board.

The catalogue itself is the municipality's programs (grants, awards) and the
partnership route; this app adds only what the public pages need on top:
the guiding function's contact details, a program's purposes and amount
range for the guide, an organisation's opt-in public listing, and the board
of needs and initiatives with its moderation state machine.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.checks import check
from workflows.models import StatefulModel


class Purpose(models.TextChoices):
    """What an activity is for, in plain words: the tags of the guide."""

    CHILDREN_YOUTH = "children_youth", _("children and young people")
    ELDERLY = "elderly", _("older people")
    CULTURE = "culture", _("culture")
    SPORT = "sport", _("sport and outdoor life")
    INCLUSION = "inclusion", _("inclusion and integration")
    HEALTH = "health", _("health and social support")
    ENVIRONMENT = "environment", _("environment and climate")
    DEMOCRACY = "democracy", _("democracy and participation")


class Size(models.TextChoices):
    """How big an organisation is, by the members living in the municipality."""

    SMALL = "small", _("small (fewer than 30 members)")
    MEDIUM = "medium", _("medium (30–150 members)")
    LARGE = "large", _("large (more than 150 members)")


#: the largest number of resident members an organisation of each size has
SIZE_MAX_MEMBERS = {Size.SMALL: 29, Size.MEDIUM: 150, Size.LARGE: None}


class GuidingContact(models.Model):
    """The guiding function ("en väg in"): a role or person the public may contact about support."""

    municipality = models.ForeignKey(
        "organizations.Municipality", on_delete=models.CASCADE, related_name="guiding_contacts"
    )
    title = models.CharField(_("function or title"), max_length=200, help_text=_("E.g. Föreningsguide."))
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("Optional: the function's name is often enough.")
    )
    email = models.EmailField(_("public e-mail"))
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    hours = models.CharField(_("when to reach us"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("guiding contact")
        verbose_name_plural = _("guiding contacts")
        ordering = ["municipality", "order", "pk"]

    def __str__(self):
        return self.title


class ProgramGuide(models.Model):
    """What the guide needs to know about a program beyond its eligibility rules."""

    program = models.OneToOneField("grants.Program", on_delete=models.CASCADE, related_name="guide")
    purposes = models.JSONField(
        _("purposes"), default=list, blank=True, help_text=_("Empty: the program supports any purpose.")
    )
    target_groups = models.CharField(_("target groups"), max_length=300, blank=True)
    min_amount = models.DecimalField(
        _("smallest amount (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    max_amount = models.DecimalField(
        _("largest amount (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    max_members = models.PositiveIntegerField(
        _("only for organisations with at most this many members"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("program guide")
        verbose_name_plural = _("program guides")

    def __str__(self):
        return str(self.program)

    def get_purposes_display(self) -> list[str]:
        labels = dict(Purpose.choices)
        return [str(labels[p]) for p in self.purposes if p in labels]


class Listing(models.Model):
    """An organisation's own public entry in the directory; not listed until its signatory says so."""

    organisation = models.OneToOneField(
        "organizations.Organisation", on_delete=models.CASCADE, related_name="listing"
    )
    listed = models.BooleanField(_("show the organisation in the public directory"), default=False)
    description = models.TextField(_("what the organisation does (public)"), blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("directory listing")
        verbose_name_plural = _("directory listings")

    def __str__(self):
        return str(self.organisation)

    def get_purposes_display(self) -> list[str]:
        labels = dict(Purpose.choices)
        return [str(labels[p]) for p in self.purposes if p in labels]


# -- the board of needs and initiatives ------------------------------------------------------------


@check(_("The post has expired."))
def not_expired(post) -> bool:
    return not post.is_expired


@check(_("Only an organisation's initiative can become a partnership initiative."))
def from_organisation_initiative(post) -> bool:
    return post.organisation_id is not None and post.kind == BoardPost.Kind.INITIATIVE


class BoardPost(StatefulModel):
    """A need or an initiative on the municipality's public board."""

    class Kind(models.TextChoices):
        NEED = "need", _("need")
        INITIATIVE = "initiative", _("initiative")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("not approved")
        HIDDEN = "hidden", _("hidden by the municipality")
        REFERRED = "referred", _("became a partnership initiative")
        CLOSED = "closed", _("closed")
        EXPIRED = "expired", _("expired")

    view_permission = "portal.view_post"

    municipality = models.ForeignKey(
        "organizations.Municipality", on_delete=models.PROTECT, related_name="board_posts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("headline"), max_length=200)
    body = models.TextField(_("description"))
    area = models.CharField(
        _("area"), max_length=200, help_text=_("Where: a district, a village or the whole municipality.")
    )
    target_group = models.CharField(_("target group"), max_length=200)
    contact = models.TextField(
        _("public contact"),
        help_text=_(
            "Shown to everyone. Use the organisation's or the function's shared address, "
            "not a private person's, unless that person agrees to it being public."
        ),
    )
    organisation = models.ForeignKey(
        "organizations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_posts",
        verbose_name=_("organisation"),
        help_text=_("Empty: posted by the municipality."),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_on = models.DateField(_("shown until"))
    state = FSMField(_("state"), default=State.PENDING, choices=State.choices, protected=True, db_index=True)
    moderation_note = models.TextField(_("note from the municipality"), blank=True)
    program = models.ForeignKey(
        "grants.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested program"),
    )
    partnership = models.OneToOneField(
        "iop.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_post",
        verbose_name=_("partnership initiative"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("board post")
        verbose_name_plural = _("board posts")
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "state", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=True) | Q(state="referred"), name="portal_post_referred_link"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:post", kwargs={"slug": self.municipality.slug, "pk": self.pk})

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED and not self.is_expired

    @transition(
        field=state,
        source=State.PENDING,
        target=State.PUBLISHED,
        conditions=[not_expired],
        permission="portal.moderate_post",
        custom={"label": _("Approve and publish")},
    )
    def approve(self):
        self.published_at = timezone.now()

    @transition(
        field=state,
        source=State.PENDING,
        target=State.REJECTED,
        permission="portal.moderate_post",
        custom={"label": _("Do not approve"), "danger": True, "reason": True},
    )
    def reject(self):
        pass

    @transition(
        field=state,
        source=State.PUBLISHED,
        target=State.HIDDEN,
        permission="portal.moderate_post",
        custom={"label": _("Hide"), "danger": True, "reason": True},
    )
    def hide(self):
        pass

    @transition(
        field=state,
        source=State.HIDDEN,
        target=State.PUBLISHED,
        conditions=[not_expired],
        permission="portal.moderate_post",
        custom={"label": _("Show again")},
    )
    def restore(self):
        pass

    @transition(
        field=state,
        source=[State.PENDING, State.PUBLISHED, State.HIDDEN],
        target=State.CLOSED,
        permission="portal.close_post",
        custom={"label": _("Close the post")},
    )
    def close(self):
        pass

    @transition(
        field=state,
        source=[State.PUBLISHED, State.PENDING],
        target=State.REFERRED,
        conditions=[from_organisation_initiative],
        permission="portal.refer_post",
        custom={"label": _("Turn into a partnership initiative"), "hidden": True},
    )
    def refer(self):
        pass

    @transition(
        field=state,
        source=[State.PUBLISHED, State.PENDING, State.HIDDEN],
        target=State.EXPIRED,
        permission="portal.expire_post",
        custom={"label": _("Expire"), "hidden": True},
    )
    def expire(self):
        pass


class BoardResponse(models.Model):
    """An answer to a post: seen by the poster and the municipality's staff, never public."""

    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organizations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    message = models.TextField(_("message"))
    contact = models.CharField(_("how to reach you"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.post}: {self.created_at:%Y-%m-%d}"


# -- the accessibility statement's feedback ---------------------------------------------------------


class BarrierReport(StatefulModel):
    """Someone tells us of an accessibility barrier (lagen om tillgänglighet till digital offentlig
    service 11 §); support staff answer, and the answer goes to the reporter when they gave an address."""

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        ANSWERED = "answered", _("answered")

    view_permission = "portal.handle_barrier_reports"

    page_url = models.CharField(_("the page"), max_length=500, blank=True)
    description = models.TextField(_("what did not work"))
    name = models.CharField(_("your name"), max_length=200, blank=True)
    email = models.EmailField(_("your e-mail"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = FSMField(_("state"), default=State.RECEIVED, choices=State.choices, protected=True, db_index=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("accessibility barrier report")
        verbose_name_plural = _("accessibility barrier reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.description[:60]

    @transition(
        field=state,
        source=State.RECEIVED,
        target=State.ANSWERED,
        permission="portal.handle_barrier_reports",
        custom={"label": _("Answer"), "hidden": True},
    )
    def respond(self):
        self.answered_at = timezone.now()
