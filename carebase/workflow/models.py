"""The queue's rules kept in the database. (Business calendars live in core,
since core's clock reads them.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team
from carebase.crm.models import Language
from carebase.tickets.models import Priority, RequestType, Status


class MacroScope(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    TEAM = "team", _("A team")
    EVERYONE = "everyone", _("Everyone")


class Macro(models.Model):
    """A saved reply with placeholders, in one language, that may also set
    the conversation's status, type and priority and add tags. Personal
    (its owner alone sees it), shared with a team, or with everyone."""

    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.POLISH
    )
    scope = models.CharField(
        _("shared with"), max_length=16, choices=MacroScope.choices, default=MacroScope.PERSONAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
    )
    set_status = models.CharField(
        _("set the status to"), max_length=16, choices=Status.choices, blank=True
    )
    set_type = models.CharField(
        _("set the type to"), max_length=20, choices=RequestType.choices, blank=True
    )
    set_priority = models.CharField(
        _("set the priority to"), max_length=16, choices=Priority.choices, blank=True
    )
    add_tags = models.JSONField(_("add the tags"), default=list, blank=True)
    # Name and text folded to lower-case ASCII (core.search.fold), for the
    # picker's search as you type: "potwierdzenie" finds "Potwierdzenie".
    search_key = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    usage_count = models.PositiveIntegerField(_("times used"), default=0)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["scope", "owner", "team"], name="macro_scope")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="personal", owner__isnull=False, team__isnull=True)
                    | models.Q(scope="team", owner__isnull=True, team__isnull=False)
                    | models.Q(scope="everyone", owner__isnull=True, team__isnull=True)
                ),
                name="macro_scope_has_its_owner_or_team",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workflow:macro_edit", args=[self.pk])

    @property
    def sets_fields(self) -> bool:
        return bool(self.set_status or self.set_type or self.set_priority or self.add_tags)
