from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "productops.discovery"
    label = "discovery"
    verbose_name = "Discovery: touchpoints and opportunity solution trees"

    def ready(self) -> None:
        # The apps below discovery ask it through registries they own: the backlog which
        # items a solution backs, the org team page for its cadence box.
        from django.core import checks

        from productops.backlog.backing import register_backing_source
        from productops.discovery import backing, cadence_summary, kinds
        from productops.org.team_page import register_team_section

        # `productops check` refuses a PRODUCTOPS_DISCOVERY_KINDS naming an unknown kind.
        checks.register(kinds.check_discovery_kinds)
        register_backing_source(backing)
        register_team_section("discovery_cadence", cadence_summary.team_cadence_summary)
