from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "productops.demo"
    label = "demo"
    verbose_name = "Demo organization"
