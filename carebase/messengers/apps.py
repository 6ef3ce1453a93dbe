from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import NavItem


def _manages_channels(user: Any) -> bool:
    return has_perm(user, Perm.MANAGE_CHANNELS)


class MessengersConfig(AppConfig):
    name = "carebase.messengers"
    label = "messengers"
    verbose_name = _("Messengers")
    navigation = [NavItem("messengers:channels", _("Messengers"), _manages_channels, order=830)]

    def ready(self) -> None:
        from carebase.messengers.outbound import MessengerChannel
        from carebase.tickets import channels
        from carebase.tickets.models import Channel

        messengers = MessengerChannel()
        channels.register(Channel.TELEGRAM, messengers)
        channels.register(Channel.MESSENGER, messengers)
