from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "productops.discovery"
    label = "discovery"
    verbose_name = "Discovery: touchpoints and opportunity solution trees"
