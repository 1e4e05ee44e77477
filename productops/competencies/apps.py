from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "productops.competencies"
    label = "competencies"
    verbose_name = "Competencies and assessments"

    def ready(self) -> None:
        from productops.competencies import reminders

        reminders.register()
