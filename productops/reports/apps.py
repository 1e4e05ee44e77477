from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "productops.reports"
    label = "reports"
    verbose_name = "Reports: the org health report"

    def ready(self) -> None:
        from productops.reports import reminders

        reminders.register()
