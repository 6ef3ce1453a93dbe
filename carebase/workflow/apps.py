from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import NavItem


def _configures_workflow(user: Any) -> bool:
    return has_perm(user, Perm.CONFIGURE_WORKFLOW)


def _works_tickets(user: Any) -> bool:
    return has_perm(user, Perm.WORK_TICKETS)


class WorkflowConfig(AppConfig):
    name = "carebase.workflow"
    label = "workflow"
    verbose_name = _("Queue rules")
    navigation = [
        NavItem("workflow:calendars", _("Business calendars"), _configures_workflow, order=830),
        NavItem("workflow:macros", _("Macros"), _works_tickets, order=835),
    ]

    def ready(self) -> None:
        from carebase.tickets import panels
        from carebase.workflow.views_macros import macros_panel

        panels.register(macros_panel)
