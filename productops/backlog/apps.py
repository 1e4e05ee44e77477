from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "productops.backlog"
    label = "backlog"
    verbose_name = "Backlog and roadmap diagnostics"
