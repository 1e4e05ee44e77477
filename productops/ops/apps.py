from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "productops.ops"
    label = "ops"
    verbose_name = "Running productops: serving, background work, backups, health"
