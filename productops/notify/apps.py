from datetime import timedelta

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "productops.notify"
    label = "notify"
    verbose_name = "E-mail and reminders"

    def ready(self) -> None:
        from productops.notify.tasks import send_reminders
        from productops.ops.schedule import register_periodic

        register_periodic("reminders", send_reminders, every=timedelta(hours=1))
