from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from carebase.core.navigation import NavItem


def _reads_audit_log(user: Any) -> bool:
    from carebase.core.access import Perm, has_perm

    return has_perm(user, Perm.VIEW_AUDIT_LOG)


class CoreConfig(AppConfig):
    name = "carebase.core"
    label = "core"
    verbose_name = "carebase"
    navigation = [NavItem("core:audit_log", _("Audit log"), _reads_audit_log, order=900)]

    def ready(self) -> None:
        # Each app declares its event kinds in <app>/events.py and its jobs in
        # <app>/tasks.py; importing them registers the labels and the schedule.
        for config in apps.get_app_configs():
            if not config.name.startswith("carebase."):
                continue
            for module in ("events", "tasks"):
                if module_has_submodule(config.module, module):
                    import_module(f"{config.name}.{module}")
