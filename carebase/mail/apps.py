from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import NavItem


def _manages_channels(user: Any) -> bool:
    return has_perm(user, Perm.MANAGE_CHANNELS)


class MailConfig(AppConfig):
    name = "carebase.mail"
    label = "mail"
    verbose_name = _("Email")
    navigation = [NavItem("mail:mailboxes", _("Mailboxes"), _manages_channels, order=820)]

    def ready(self) -> None:
        from carebase.mail.outbound import EmailChannel
        from carebase.tickets import channels
        from carebase.tickets.models import Channel

        channels.register(Channel.EMAIL, EmailChannel())
