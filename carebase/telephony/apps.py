from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import NavItem


def _sees_calls(user: Any) -> bool:
    return has_perm(user, Perm.VIEW_CALLS)


class TelephonyConfig(AppConfig):
    name = "carebase.telephony"
    label = "telephony"
    verbose_name = _("Phone")
    navigation = [NavItem("telephony:call_list", _("Calls"), _sees_calls, order=150)]

    def ready(self) -> None:
        from carebase.crm import panels
        from carebase.telephony.timeline import call_entries, contact_calls_panel
        from carebase.tickets import timeline

        timeline.register(call_entries)
        panels.register(contact_calls_panel)
