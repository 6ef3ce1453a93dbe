from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebase.mail.actions import MAILBOX_FIELDS
from carebase.mail.models import Mailbox


class MailboxForm(forms.ModelForm):
    """A mailbox's settings; saved through do_create/do_update_mailbox, not save()."""

    imap_password = forms.CharField(
        label=_("IMAP password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted. Leave empty to keep the stored password."),
    )
    forget_password = forms.BooleanField(label=_("Remove the stored password"), required=False)

    class Meta:
        model = Mailbox
        fields = MAILBOX_FIELDS
        widgets = {
            "signature": forms.Textarea(attrs={"rows": 3}),
            "acknowledgement": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = [*MAILBOX_FIELDS[:-1], "imap_password", "forget_password", "imap_password_env"]
        self.order_fields(order)
        if not (self.instance.pk and self.instance.has_stored_password):
            del self.fields["forget_password"]
            self.fields["imap_password"].help_text = _("Stored encrypted.")

    def _post_clean(self) -> None:
        # Validation is the action's (one set of rules for the page and the API).
        pass

    def values(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in MAILBOX_FIELDS}
