"""The queue's own records. Business calendars live in core (core.models.Calendar),
read by the one business-hours clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carebase.tickets.models import Ticket

# --- Feature requests board (workflow/features.py) ---------------------------


class FeatureStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("feature status", "New")
    UNDER_REVIEW = "under_review", pgettext_lazy("feature status", "Under review")
    PLANNED = "planned", pgettext_lazy("feature status", "Planned")
    DONE = "done", pgettext_lazy("feature status", "Done")
    DECLINED = "declined", pgettext_lazy("feature status", "Declined")


# The badge each status wears (classes of core's stylesheet).
FEATURE_BADGES = {
    FeatureStatus.NEW: "",
    FeatureStatus.UNDER_REVIEW: "trial",
    FeatureStatus.PLANNED: "status-open",
    FeatureStatus.DONE: "ok",
    FeatureStatus.DECLINED: "churned",
}


class Feature(models.Model):
    """One product wish that many conversations may ask for. Who asks for it
    and how much they pay are counted from its requests, never stored."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FeatureStatus.choices, default=FeatureStatus.NEW
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="feature_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workflow:feature_detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return FEATURE_BADGES.get(FeatureStatus(self.status), "")


class FeatureRequest(models.Model):
    """A conversation that asks for a feature: one feature at most per
    conversation. The requesting organization is the conversation's."""

    feature = models.ForeignKey(
        Feature, verbose_name=_("feature"), on_delete=models.CASCADE, related_name="requests"
    )
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="feature_request",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    # When the requester was told the feature is done (once, ever).
    notified_at = models.DateTimeField(_("requester notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("feature request")
        verbose_name_plural = _("feature requests")
        ordering = ["linked_at", "id"]
        indexes = [models.Index(fields=["feature", "linked_at"], name="feature_request_feature")]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.feature_id}"
