from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "productops.notify"
    label = "notify"
    verbose_name = "E-mail and reminders"
