from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "productops.org"
    label = "org"
    verbose_name = "Organization"
