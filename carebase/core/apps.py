from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


class CoreConfig(AppConfig):
    name = "carebase.core"
    label = "core"
    verbose_name = "carebase"

    def ready(self) -> None:
        # Each app declares its event kinds in <app>/events.py and its jobs in
        # <app>/tasks.py; importing them registers the labels and the schedule.
        for config in apps.get_app_configs():
            if not config.name.startswith("carebase."):
                continue
            for module in ("events", "tasks"):
                if module_has_submodule(config.module, module):
                    import_module(f"{config.name}.{module}")
