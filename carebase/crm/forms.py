from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carebase.core.errors import Conflict
from carebase.crm.access import can_edit_commercial, cs_owner_candidates, organizations_for
from carebase.crm.actions import (
    COMMERCIAL_FIELDS,
    ORGANIZATION_FIELDS,
    check_organization_name_free,
)
from carebase.crm.models import Contact, Language, Organization, Project, name_key

_SEPARATORS = re.compile(r"[\n,;]+")


def organization_typed(value: str) -> Organization | None:
    """The organization a person typed into a form: its id, or its name in
    any case and with or without accents ("tel-net" finds "Tel-Net"). None
    when nothing was typed; a ValidationError naming what was typed when
    no organization is it."""
    value = value.strip()
    if not value:
        return None
    found = Organization.objects.filter(
        Q(pk=int(value)) if value.isdigit() and len(value) <= 18 else Q(name_key=name_key(value))
    ).first()
    if found is None:
        raise forms.ValidationError(_("No organization is called “%(name)s”.") % {"name": value})
    return found


def split_values(text: str | None) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]


class OrganizationForm(forms.ModelForm):
    """Validates input; the view saves through do_create/update_organization."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ORGANIZATION_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["cs_owner"]).queryset = cs_owner_candidates()
        if not can_edit_commercial(user):
            for name in COMMERCIAL_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Your role cannot change this field.")

    def clean_name(self) -> str:
        # A field error here also stops the model's case-insensitive constraint
        # check, which would only say "constraint violated" above the form.
        name = self.cleaned_data["name"].strip()
        try:
            check_organization_name_free(name, exclude_pk=self.instance.pk)
        except Conflict as conflict:
            raise forms.ValidationError(conflict.message) from None
        return name


class IdentityListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return split_values(super().to_python(value))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value


class ContactForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    emails = IdentityListField(
        label=_("Email addresses"), required=False, help_text=_("One per line.")
    )
    phones = IdentityListField(
        label=_("Phone numbers"),
        required=False,
        help_text=_("One per line; numbers without a country code are read as Polish."),
    )
    telegram = IdentityListField(
        label=_("Telegram"), required=False, help_text=_("User id or @username, one per line.")
    )
    whatsapp = IdentityListField(
        label=_("WhatsApp"), required=False, help_text=_("Phone numbers used on WhatsApp.")
    )
    sees_organization_tickets = forms.BooleanField(
        label=_("In the portal, sees the organization's conversations"),
        required=False,
        initial=True,
        help_text=_("Untick to show this person only the conversations they started."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}),
                            required=False)  # fmt: skip

    def __init__(self, *args: Any, user: Any, contact: Contact | None = None, **kwargs: Any):
        if contact is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": contact.name,
                    "organization": contact.organization_id,
                    "job_title": contact.job_title,
                    "language": contact.language,
                    "emails": contact.emails,
                    "phones": contact.phones,
                    "telegram": contact.telegram,
                    "whatsapp": contact.whatsapp,
                    "sees_organization_tickets": contact.sees_organization_tickets,
                    "notes": contact.notes,
                },
            )
        super().__init__(*args, **kwargs)
        organization = cast(forms.ModelChoiceField, self.fields["organization"])
        organization.queryset = organizations_for(user).only("id", "name")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "status", "external_id"]


class ContactMergeForm(forms.Form):
    """Which contact to merge into the one on the page. The view loads it
    through access_contact, so a contact the caller cannot see answers 404."""

    duplicate = forms.IntegerField(
        label=_("Contact to merge into this one"), min_value=1, max_value=2**63 - 1
    )
