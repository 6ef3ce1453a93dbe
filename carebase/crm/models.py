from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def name_key(name: str) -> str:
    """The form of a name that comparisons and search use: trimmed, casefolded."""
    return " ".join(name.split()).casefold()


class NameKeyed:
    """Keeps `name_key` in step with `name` on every save, whoever saves."""

    name: str
    name_key: str

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)  # type: ignore[misc]


class Tier(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    KEY = "key", _("Key")
    STANDARD = "standard", _("Standard")
    SMALL = "small", _("Small")


class Plan(models.TextChoices):
    TRIAL = "trial", _("Trial")
    START = "start", _("Start")
    BUSINESS = "business", _("Business")
    ENTERPRISE = "enterprise", _("Enterprise")


class Currency(models.TextChoices):
    PLN = "PLN", "PLN"
    EUR = "EUR", "EUR"
    USD = "USD", "USD"


class OrganizationStatus(models.TextChoices):
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CHURNED = "churned", _("Churned")


class Organization(NameKeyed, models.Model):
    """A client company."""

    name = models.CharField(_("name"), max_length=200)
    # casefold(name): unique and searched in Python's Unicode rules, which
    # SQLite's LOWER() and LIKE do not follow ("ZĄBEK" vs "ząbek").
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default=Tier.STANDARD)
    plan = models.CharField(_("plan"), max_length=16, choices=Plan.choices, default=Plan.START)
    mrr = models.DecimalField(
        _("MRR"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Monthly recurring revenue."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
    )
    cs_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("CS owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_organizations",
    )
    website = models.URLField(_("website"), blank=True)
    tax_id = models.CharField(_("tax ID (NIP)"), max_length=32, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:organization_detail", args=[self.pk])


class Language(models.TextChoices):
    POLISH = "pl", _("Polish")
    ENGLISH = "en", _("English")


class Contact(NameKeyed, models.Model):
    """A person at a client (or not yet tied to one), reached by any of their identities."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.POLISH
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sees_organization_tickets = models.BooleanField(
        _("sees the organization's conversations"),
        default=True,
        help_text=_("In the portal; otherwise only their own."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:contact_detail", args=[self.pk])

    def identities_of(self, kind: str) -> list[str]:
        # Reads the prefetched identities when the list view prefetched them.
        return [identity.value for identity in self.identities.all() if identity.kind == kind]

    @property
    def emails(self) -> list[str]:
        return self.identities_of(IdentityKind.EMAIL)

    @property
    def phones(self) -> list[str]:
        return self.identities_of(IdentityKind.PHONE)

    @property
    def telegram(self) -> list[str]:
        return self.identities_of(IdentityKind.TELEGRAM)

    @property
    def whatsapp(self) -> list[str]:
        return self.identities_of(IdentityKind.WHATSAPP)


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")


class ContactIdentity(models.Model):
    """An address a contact is reached at, stored normalised (emails lowercased,
    phones in E.164). The unique constraint is also the lookup index: finding a
    contact by any identity is one indexed query."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(_("kind"), max_length=16, choices=IdentityKind.choices)
    value = models.CharField(_("value"), max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact identity")
        verbose_name_plural = _("contact identities")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="contact_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("project status", "Active")
    DISCONNECTED = "disconnected", pgettext_lazy("project status", "Disconnected")


class Project(models.Model):
    """An organization's configured instance of the product."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    external_id = models.CharField(
        _("product ID"), max_length=64, blank=True, help_text=_("The project's ID in the product.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    disconnected_at = models.DateTimeField(_("disconnected"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["organization_id", "name", "id"]

    def __str__(self) -> str:
        return self.name
