from __future__ import annotations

import hashlib
import secrets
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

TIMEZONE_CHOICES = sorted((name, name.replace("_", " ")) for name in available_timezones())


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class User(AbstractUser):
    """A person who signs in: staff in any role, or a customer of an organization."""

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the browser's language."),
    )
    # Validated rather than given choices: the list of zones changes with tzdata,
    # and choices would put each change into a migration.
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            # Email is a login name too, so two users cannot share one.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class TeamKind(models.TextChoices):
    SUPPORT = "support", _("Tech support")
    SUCCESS = "success", _("Customer success")
    OTHER = "other", _("Other")


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TeamKind.choices)
    lead = models.ForeignKey(
        User,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    members = models.ManyToManyField(
        User, verbose_name=_("members"), blank=True, related_name="teams"
    )
    calendar = models.ForeignKey(
        "core.Calendar",
        verbose_name=_("business hours"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
        help_text=_("Empty: the desk's default hours."),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


TOKEN_PREFIX = "cb_"  # noqa: S105 - a prefix that marks tokens in logs, not a secret


def token_digest(raw: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: nobody can guess
    # one, and the digest makes a stolen database useless for calling the API.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A bearer token for the REST API; it has exactly its user's rights."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
