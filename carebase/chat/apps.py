from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import NavItem


def _works_chats(user: Any) -> bool:
    return has_perm(user, Perm.WORK_TICKETS)


def _manages_channels(user: Any) -> bool:
    return has_perm(user, Perm.MANAGE_CHANNELS)


class ChatConfig(AppConfig):
    name = "carebase.chat"
    label = "chat"
    verbose_name = _("Live chat")
    navigation = [
        NavItem("chat:workspace", _("Chats"), _works_chats, order=120),
        NavItem("chat:widgets", _("Chat widgets"), _manages_channels, order=820),
    ]

    def ready(self) -> None:
        from carebase.chat.outbound import ChatChannel, agent_typing
        from carebase.core.realtime import register_receiver
        from carebase.tickets import channels
        from carebase.tickets.models import Channel

        channels.register(Channel.CHAT, ChatChannel())
        register_receiver("typing", agent_typing)
