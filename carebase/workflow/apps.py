from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import NavItem


def _configures_workflow(user: Any) -> bool:
    return has_perm(user, Perm.CONFIGURE_WORKFLOW)


class WorkflowConfig(AppConfig):
    name = "carebase.workflow"
    label = "workflow"
    verbose_name = _("Queue rules")
    navigation = [
        NavItem("workflow:calendars", _("Business calendars"), _configures_workflow, order=830),
    ]
