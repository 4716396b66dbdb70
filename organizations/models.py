"""The organisation register (föreningsregister): municipalities, committees,
organisations, the people who act for them, and the staff roles of a municipality."""

import uuid
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.models import StatefulModel
from workflows.text import NameField

from . import conditions, validators


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self.db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address.

    ``is_staff`` only opens the Django admin for support staff; what a
    municipality's official may do comes from their StaffRole rows.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = NameField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin access"), default=False)
    is_system = models.BooleanField(default=False, editable=False)
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    org_number = models.CharField(_("organisation number"), max_length=10, unique=True)
    case_number_format = models.CharField(
        _("case number format"),
        max_length=60,
        default="{committee} {year}/{number}",
        help_text=_("Placeholders: {committee} (the committee's code), {year} and {number}."),
    )
    #: the account grants are paid from (the debtor of the payment file, pain.001)
    payment_iban = models.CharField(
        _("payment account (IBAN)"),
        max_length=34,
        blank=True,
        help_text=_("The municipality's bank account that grants are paid from, as IBAN (SE…)."),
    )
    payment_bic = models.CharField(
        _("bank's BIC"),
        max_length=11,
        blank=True,
        help_text=_("The BIC of the bank that holds the payment account, e.g. HANDSESS."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError
        from stdnum import bic, iban

        self.org_number = validators.org_number_compact(self.org_number)
        errors = {}
        if self.payment_iban:
            try:
                self.payment_iban = iban.validate(self.payment_iban)
            except Exception:
                errors["payment_iban"] = _("Enter a valid IBAN, like SE45 5000 0000 0583 9825 7466.")
        if self.payment_bic:
            try:
                self.payment_bic = bic.validate(self.payment_bic)
            except Exception:
                errors["payment_bic"] = _("Enter a valid BIC, 8 or 11 letters and digits, like HANDSESS.")
        if errors:
            raise ValidationError(errors)


class Committee(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("short code"), max_length=12, help_text=_("Used in case numbers, e.g. SN."))
    registry_email = models.EmailField(
        _("registry e-mail"),
        blank=True,
        help_text=_(
            "The committee's registry (registrator). A decision letter names it as the contact when "
            "neither the program nor the caseworker who prepared the decision can be named."
        ),
    )

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="committee_code_unique"),
        ]

    def __str__(self):
        return self.name


class StaffRole(StatefulModel):
    """What an official does for a municipality, optionally limited to one committee.

    A role is granted and revoked through transitions, so the log says who gave
    whom which role and who took it away; a revoked role is kept for the record and
    can be granted again."""

    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("caseworker")
        SECRETARY = "secretary", _("committee secretary")
        MEMBER = "member", _("committee member")
        PROGRAM_ADMIN = "program_admin", _("program administrator")
        MUNICIPALITY_ADMIN = "municipality_admin", _("municipality administrator")

    class State(models.TextChoices):
        PENDING = "pending", _("not yet granted")
        ACTIVE = "active", _("active")
        REVOKED = "revoked", _("revoked")

    #: roles that only concern one committee when given for one
    COMMITTEE_ROLES = (Role.CASEWORKER, Role.SECRETARY, Role.MEMBER, Role.PROGRAM_ADMIN)

    view_permission = "organizations.view_staff_role"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="staff_roles")
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    state = FSMField(_("state"), default=State.ACTIVE, choices=State.choices, protected=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "committee", "role"], name="staff_role_unique"
            ),
        ]

    def __str__(self):
        where = self.committee or self.municipality
        return f"{self.user} – {self.get_role_display()} ({where})"

    @transition(
        field=state,
        source=[State.PENDING, State.REVOKED],
        target=State.ACTIVE,
        permission="organizations.manage_staff",
        custom={"label": _("Grant")},
    )
    def grant(self):
        pass

    @transition(
        field=state,
        source=[State.PENDING, State.REVOKED],
        target=State.ACTIVE,
        permission="organizations.support_organisation_roles",
        custom={"label": _("Grant (support)"), "hidden": True},
    )
    def support_grant(self):
        """A municipality's first administrator, given by support staff (SECURITY.md)."""

    @transition(
        field=state,
        source=State.ACTIVE,
        target=State.REVOKED,
        permission="organizations.manage_staff",
        conditions=[conditions.keeps_an_administrator],
        custom={"label": _("Revoke")},
    )
    def revoke(self):
        pass


class Delegation(StatefulModel):
    """The right of an official to decide certain matters for a committee, up to an amount.

    Set and ended through transitions, so the log says who delegated what to whom;
    ending one sets its last valid day, which is what the decision pages read."""

    class Matter(models.TextChoices):
        GRANT = "grant", _("grant decisions")
        RECLAIM = "reclaim", _("reclaim decisions")
        AWARD = "award", _("award decisions")
        PARTNERSHIP = "partnership", _("partnership decisions")

    class State(models.TextChoices):
        PENDING = "pending", _("not yet in force")
        ACTIVE = "active", _("in force")
        ENDED = "ended", _("ended")

    view_permission = "organizations.view_delegation"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="delegations")
    matter = models.CharField(_("matter"), max_length=20, choices=Matter.choices)
    max_amount = models.DecimalField(_("up to amount (kr)"), max_digits=12, decimal_places=0)
    valid_from = models.DateField(_("valid from"), default=date.today)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    state = FSMField(_("state"), default=State.ACTIVE, choices=State.choices, protected=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return f"{self.user}: {self.get_matter_display()} ≤ {self.max_amount} kr ({self.committee.code})"

    @transition(
        field=state,
        source=State.PENDING,
        target=State.ACTIVE,
        permission="organizations.manage_delegations",
        custom={"label": _("Delegate"), "hidden": True},
    )
    def delegate(self):
        pass

    @transition(
        field=state,
        source=State.ACTIVE,
        target=State.ENDED,
        permission="organizations.manage_delegations",
        custom={"label": _("End")},
    )
    def end(self, *, last_day):
        if self.valid_until is None or self.valid_until > last_day:
            self.valid_until = last_day


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NONPROFIT = "nonprofit", _("non-profit association")
        RELIGIOUS = "religious", _("registered religious community")
        FOUNDATION = "foundation", _("foundation")
        ECONOMIC = "economic", _("economic association")
        INFORMAL = "informal", _("informal network")

    class AccountType(models.TextChoices):
        BANKGIRO = "bankgiro", _("bankgiro")
        PLUSGIRO = "plusgiro", _("plusgiro")

    name = NameField(_("name"), max_length=200, db_index=True)
    org_number = models.CharField(_("organisation number"), max_length=10, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("what the organisation does"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), default=0)
    municipalities = models.ManyToManyField(
        Municipality, through="OrganisationActivity", related_name="organisations", blank=True
    )
    account_type = models.CharField(_("account type"), max_length=10, choices=AccountType.choices, blank=True)
    account_number = models.CharField(_("account number"), max_length=12, blank=True)
    account_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def org_number_display(self) -> str:
        return validators.org_number_format(self.org_number)

    @property
    def account_display(self) -> str:
        if self.account_type == self.AccountType.BANKGIRO:
            return f"Bankgiro {validators.bankgiro_format(self.account_number)}"
        if self.account_type == self.AccountType.PLUSGIRO:
            return f"Plusgiro {validators.plusgiro_format(self.account_number)}"
        return ""


class OrganisationActivity(models.Model):
    """An organisation is active in a municipality, with members living there."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="activities")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="activities")
    resident_members = models.PositiveIntegerField(_("members living in the municipality"), default=0)
    #: the municipality's own note about the organisation, read and written by its staff only
    note = models.TextField(
        _("the municipality's note"),
        blank=True,
        help_text=_(
            "Seen only by the municipality's staff, not by the organisation or other municipalities."
        ),
    )

    class Meta:
        verbose_name = _("area of activity")
        verbose_name_plural = _("areas of activity")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "municipality"], name="activity_unique"),
        ]

    def __str__(self):
        return f"{self.organisation} i {self.municipality}"


def staff_rule(name: str):
    """A transition's permission asked of the rules only: a municipality's own staff role counts,
    not the superuser flag that grants every permission of Django's model backend."""

    def permitted(instance, user) -> bool:
        import rules

        return rules.has_perm(name, user, instance)

    permitted.__name__ = name.rpartition(".")[2]
    return permitted


class AccountChange(StatefulModel):
    """A new payment account (bankgiro or plusgiro) asked for by the organisation's signatory.

    It takes effect, that is it becomes the organisation's account that payments are planned to,
    only when a caseworker of every municipality the organisation was active in when the change
    was asked for has verified it (one ``AccountVerification`` each): four eyes, and no
    municipality's payments are redirected without its own check.  One refusal rejects it."""

    class State(models.TextChoices):
        NEW = "new", _("not yet sent")
        PENDING = "pending", _("waiting for verification")
        IN_EFFECT = "in_effect", _("in effect")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    view_permission = "organizations.view_account_change"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="account_changes")
    account_type = models.CharField(
        _("account type"), max_length=10, choices=Organisation.AccountType.choices
    )
    account_number = models.CharField(_("account number"), max_length=12)
    #: the account in effect when the change was asked for, to show what it replaces
    previous_account_type = models.CharField(max_length=10, blank=True)
    previous_account_number = models.CharField(max_length=12, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    state = FSMField(_("state"), default=State.NEW, choices=State.choices, protected=True)

    class Meta:
        verbose_name = _("change of payment account")
        verbose_name_plural = _("changes of payment account")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(state__in=["new", "pending"]),
                name="account_change_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.account_display}"

    @property
    def account_display(self) -> str:
        return Organisation(
            account_type=self.account_type, account_number=self.account_number
        ).account_display

    @property
    def previous_account_display(self) -> str:
        return Organisation(
            account_type=self.previous_account_type, account_number=self.previous_account_number
        ).account_display

    @transition(
        field=state,
        source=State.NEW,
        target=State.PENDING,
        permission="organizations.submit_account_change",
        custom={"label": _("Send for verification"), "hidden": True},
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=State.PENDING,
        target=State.IN_EFFECT,
        permission=staff_rule("organizations.decide_account_change"),
        conditions=[conditions.every_municipality_verified],
        custom={"label": _("Put into effect"), "hidden": True},
    )
    def take_effect(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=State.PENDING,
        target=State.REJECTED,
        permission=staff_rule("organizations.decide_account_change"),
        custom={"label": _("Reject the new account"), "danger": True},
    )
    def reject(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=State.PENDING,
        target=State.WITHDRAWN,
        permission="organizations.withdraw_account_change",
        custom={"label": _("Withdraw the change")},
    )
    def withdraw(self):
        self.decided_at = timezone.now()


class AccountVerification(StatefulModel):
    """One municipality's check of a new payment account: a caseworker of that municipality who
    did not ask for the change and does not act for the organisation verifies it."""

    class State(models.TextChoices):
        PENDING = "pending", _("not yet verified")
        VERIFIED = "verified", _("verified")

    view_permission = "organizations.view_account_change"

    change = models.ForeignKey(AccountChange, on_delete=models.CASCADE, related_name="verifications")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    state = FSMField(_("state"), default=State.PENDING, choices=State.choices, protected=True)

    class Meta:
        verbose_name = _("verification of a payment account")
        verbose_name_plural = _("verifications of payment accounts")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["change", "municipality"], name="account_verification_once"),
        ]

    def __str__(self):
        return f"{self.change} – {self.municipality}"

    @property
    def organisation(self):
        return self.change.organisation

    @transition(
        field=state,
        source=State.PENDING,
        target=State.VERIFIED,
        permission=staff_rule("organizations.verify_account"),
        conditions=[conditions.change_is_pending],
        custom={"label": _("Verify the account")},
    )
    def verify(self):
        """The service sets ``verified_by`` (the acting user) before the transition."""
        self.verified_at = timezone.now()


class Person(models.Model):
    """A board member or contact person of an organisation (personal data)."""

    class Kind(models.TextChoices):
        BOARD = "board", _("board member")
        CONTACT = "contact", _("contact person")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = NameField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


def _document_path(instance, filename):
    # Random names: nothing about the organisation or the original name leaks
    # into the file system, and nothing can be guessed.
    return f"documents/{uuid.uuid4().hex}"


class OrganisationDocument(models.Model):
    class Type(models.TextChoices):
        STATUTES = "statutes", _("statutes")
        ANNUAL_REPORT = "annual_report", _("annual report")
        ACCOUNTS = "accounts", _("annual accounts")
        AUDIT_REPORT = "audit_report", _("audit report")
        AGM_MINUTES = "agm_minutes", _("minutes of the annual meeting")
        ACTIVITY_PLAN = "activity_plan", _("activity plan")
        BUDGET = "budget", _("budget")

    # Statutes stay valid until replaced; the others are yearly documents.
    LASTING_TYPES = {Type.STATUTES}

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=20, choices=Type.choices)
    year = models.PositiveIntegerField(_("valid for year"))
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["doc_type", "-year", "-uploaded_at"]
        indexes = [models.Index(fields=["organisation", "doc_type", "year"])]

    def __str__(self):
        return f"{self.get_doc_type_display()} {self.year}"


class OrganisationRole(StatefulModel):
    """A user's right to act for an organisation.

    The user who registers an organisation becomes its authorised signatory.
    Anyone else asks to join; a signatory (or staff) approves or rejects.
    """

    class Kind(models.TextChoices):
        SIGNATORY = "signatory", _("authorised signatory")
        MEMBER = "member", _("member user")

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACTIVE = "active", _("active")
        REJECTED = "rejected", _("rejected")
        REVOKED = "revoked", _("revoked")

    view_permission = "organizations.view_role"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    state = FSMField(_("state"), default=State.REQUESTED, choices=State.choices, protected=True)
    message = models.TextField(_("message to the signatory"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(state__in=["requested", "active"]),
                name="org_role_one_open_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_kind_display()})"

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.ACTIVE,
        permission="organizations.decide_role",
        custom={"label": _("Approve")},
    )
    def approve(self):
        pass

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.REJECTED,
        permission="organizations.decide_role",
        custom={"label": _("Reject")},
    )
    def reject(self):
        pass

    @transition(
        field=state,
        source=State.ACTIVE,
        target=State.REVOKED,
        permission="organizations.decide_role",
        custom={"label": _("Remove")},
    )
    def revoke(self):
        pass

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.ACTIVE,
        permission="organizations.register_organisation",
        custom={"label": _("Register"), "hidden": True},
    )
    def grant_on_registration(self):
        """The registering user becomes the first signatory."""

    @transition(
        field=state,
        source=[State.REQUESTED, State.ACTIVE],
        target=State.ACTIVE,
        permission="organizations.support_organisation_roles",
        custom={"label": _("Made signatory by support"), "hidden": True},
    )
    def support_make_signatory(self):
        """Support staff give the role when an organisation has lost its signatory (SECURITY.md)."""
        self.kind = self.Kind.SIGNATORY
