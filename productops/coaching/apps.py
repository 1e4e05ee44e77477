from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "productops.coaching"
    label = "coaching"
    verbose_name = "Coaching, 1:1s and communities"

    def ready(self) -> None:
        from productops.coaching import reminders

        reminders.register()
