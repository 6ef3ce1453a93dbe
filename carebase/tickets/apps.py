from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm, is_customer
from carebase.core.navigation import NavItem


def _works_tickets(user: Any) -> bool:
    return has_perm(user, Perm.VIEW_TICKETS)


class TicketsConfig(AppConfig):
    name = "carebase.tickets"
    label = "tickets"
    verbose_name = _("Conversations")
    navigation = [
        NavItem("tickets:inbox", _("Inbox"), _works_tickets, order=100),
        NavItem("portal:index", _("Your requests"), is_customer, order=100),
    ]
    home_panels = ["carebase.tickets.views.inbox_panel"]

    def ready(self) -> None:
        from carebase.crm.signals import contacts_merged
        from carebase.tickets.tasks import reindex_merged_requester

        contacts_merged.connect(reindex_merged_requester, dispatch_uid="tickets.reindex_merged")

        from carebase.crm import panels
        from carebase.tickets.views import contact_tickets_panel

        panels.register(contact_tickets_panel)

        from carebase.core.realtime import register_receiver
        from carebase.tickets.collision import joins, on_typing, on_viewing

        register_receiver("viewing", on_viewing, joins=joins)
        register_receiver("typing", on_typing, joins=joins)
