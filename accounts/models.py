from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: by e-mail, by phone number, or through WeChat.

    Personal data beyond sign-in lives in `Profile` and is asked for only after the age gate.
    """

    class ConsentStatus(models.TextChoices):
        NOT_REQUIRED = "not_required", _("Not required")
        PENDING = "pending", _("Waiting for guardian")
        GRANTED = "granted", _("Guardian agreed")
        REFUSED = "refused", _("Guardian refused")

    phone = models.CharField(_("phone number"), max_length=20, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    display_name = models.CharField(_("display name"), max_length=40, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("birth month"), null=True, blank=True)
    consent_status = models.CharField(
        _("guardian consent"),
        max_length=20,
        choices=ConsentStatus.choices,
        default=ConsentStatus.NOT_REQUIRED,
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True)
                | models.Q(birth_month__gte=1, birth_month__lte=12),
                name="user_birth_month_valid",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def has_birth_month(self) -> bool:
        return self.birth_year is not None and self.birth_month is not None

    @property
    def is_waiting_for_guardian(self) -> bool:
        """True while the account may be used for nothing but obtaining consent."""
        return self.consent_status in (self.ConsentStatus.PENDING, self.ConsentStatus.REFUSED)


class Profile(models.Model):
    """What a person tells us beyond signing in; asked for only after the age gate."""

    class Grade(models.TextChoices):
        PRIMARY_1 = "primary_1", _("Primary school, grade 1")
        PRIMARY_2 = "primary_2", _("Primary school, grade 2")
        PRIMARY_3 = "primary_3", _("Primary school, grade 3")
        PRIMARY_4 = "primary_4", _("Primary school, grade 4")
        PRIMARY_5 = "primary_5", _("Primary school, grade 5")
        PRIMARY_6 = "primary_6", _("Primary school, grade 6")
        JUNIOR_1 = "junior_1", _("Junior secondary, year 1")
        JUNIOR_2 = "junior_2", _("Junior secondary, year 2")
        JUNIOR_3 = "junior_3", _("Junior secondary, year 3")
        SENIOR_1 = "senior_1", _("Senior secondary, year 1")
        SENIOR_2 = "senior_2", _("Senior secondary, year 2")
        SENIOR_3 = "senior_3", _("Senior secondary, year 3")
        OTHER = "other", _("Other / not at school")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    real_name = models.CharField(
        _("real name"),
        max_length=40,
        blank=True,
        help_text=_("Optional. Only used to deliver prizes and certificates."),
    )
    region = models.CharField(
        _("region"), max_length=60, blank=True, help_text=_("City and district, e.g. 杭州市西湖区.")
    )
    school = models.CharField(_("school"), max_length=80, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class ConsentScope(models.TextChoices):
    """What a guardian decides about: the account, or public display of contest works.

    Public display of a child's name, school, photo or work needs its own consent
    (DESIGN.md rule 8). For each scope the latest record counts; withdrawing is a new
    "refuse" record, never a change to an old one.
    """

    ACCOUNT = "account", _("Use of the account")
    DISPLAY = "display", _("Public display of contest works")


class GuardianConsentRequest(models.Model):
    """An invitation sent to a guardian's phone: a link token and a one-time code.

    Only hashes are stored. A request is usable once, until `expires_at`, and locks after
    too many wrong codes. It is working state, not a record: the decision itself is a
    `GuardianConsent`.
    """

    child = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardian_requests"
    )
    guardian_phone = models.CharField(_("guardian's phone number"), max_length=20)
    # What the guardian is asked to decide: the account, or public display of works.
    scope = models.CharField(
        _("scope"), max_length=30, choices=ConsentScope.choices, default=ConsentScope.ACCOUNT
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("guardian consent request")
        verbose_name_plural = _("guardian consent requests")
        indexes = [models.Index(fields=["child", "created_at"])]

    def __str__(self) -> str:
        return f"consent request {self.pk} for user {self.child_id}"


class ConsentRecordImmutable(Exception):
    """A guardian's decision is a record: it is never changed, and deleted only with the account."""


class GuardianConsentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ConsentRecordImmutable("guardian consent records cannot be updated")

    def delete(self):
        raise ConsentRecordImmutable(
            "guardian consent records are deleted only together with the child's account"
        )


class GuardianConsent(models.Model):
    """A guardian's decision about a child's account: immutable once written.

    Guarded three ways: `save()` refuses to update, `delete()` and queryset updates/deletes
    refuse; the admin shows it read-only; and the database rejects UPDATE (PostgreSQL and
    SQLite triggers) and, on PostgreSQL, any DELETE that is not part of deleting the child's
    account (see migration 0002 and `accounts.signals`). A migration that rebuilds this
    table on SQLite must create the trigger again.
    """

    class Decision(models.TextChoices):
        AGREE = "agree", _("Agreed")
        REFUSE = "refuse", _("Refused")

    Scope = ConsentScope

    child = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardian_consents"
    )
    guardian_phone = models.CharField(_("guardian's phone number"), max_length=20)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    scope = models.CharField(_("scope"), max_length=30, choices=Scope.choices)
    policy_version = models.CharField(_("policy version"), max_length=20)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = GuardianConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=["agree", "refuse"]),
                name="guardianconsent_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.get_scope_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ConsentRecordImmutable("guardian consent records cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ConsentRecordImmutable(
            "guardian consent records are deleted only together with the child's account"
        )


class LoginSession(models.Model):
    """A session a user signed in with, so that deleting the account can end all of them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"
