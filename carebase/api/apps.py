from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "carebase.api"
    label = "api"
    verbose_name = "REST API"
