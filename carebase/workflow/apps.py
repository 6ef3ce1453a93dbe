from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        NavItem("workflow:rules", _("Queue rules"), _configures_workflow, order=828),
        NavItem("workflow:calendars", _("Business calendars"), _configures_workflow, order=830),
        NavItem("workflow:macros", _("Macros"), _works_tickets, order=835),
        NavItem("workflow:features", _("Feature requests"), _works_tickets, order=840),
        NavItem(
            "workflow:notices", pgettext_lazy("heading", "SLA notices"), _works_tickets, order=845
        ),
    ]
    home_panels = ["carebase.workflow.views_notices.notices_panel"]

    def ready(self) -> None:
        from carebase.tickets import panels, timeline
        from carebase.tickets.signals import ticket_arriving, ticket_changed
        from carebase.workflow import panels as workflow_panels
        from carebase.workflow import rules, sla
        from carebase.workflow.views_features import feature_timeline_entries, ticket_feature_panel
        from carebase.workflow.views_macros import macros_panel

        # In this order: the rules set the priority that picks the SLA targets.
        ticket_arriving.connect(rules.apply_on_arrival, dispatch_uid="workflow.rules")
        ticket_arriving.connect(sla.start_on_arrival, dispatch_uid="workflow.sla")
        ticket_changed.connect(rules.reprioritise, dispatch_uid="workflow.reprioritise")
        ticket_changed.connect(sla.follow_changes, dispatch_uid="workflow.sla_changes")
        panels.register(workflow_panels.sla_panel)
        panels.register_sla(workflow_panels.sla_json, prefetch="sla_clocks")
        panels.register_row_notes(workflow_panels.sla_row_notes)
        panels.register(macros_panel)
        # The feature requests board: a card beside a conversation, its links on the timeline.
        panels.register(ticket_feature_panel)
        timeline.register(feature_timeline_entries)
