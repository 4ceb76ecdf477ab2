from django.contrib.auth.models import AbstractUser
from django.db import models
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
