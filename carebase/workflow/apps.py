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
        NavItem("workflow:features", _("Feature requests"), _works_tickets, order=840),
    ]

    def ready(self) -> None:
        # The feature requests board: a card beside a conversation, its links on the timeline.
        from carebase.tickets import panels, timeline
        from carebase.workflow.views_features import (
            feature_timeline_entries,
            ticket_feature_panel,
        )

        panels.register(ticket_feature_panel)
        timeline.register(feature_timeline_entries)
