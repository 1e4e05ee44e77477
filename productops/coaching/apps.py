from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "productops.coaching"
    label = "coaching"
    verbose_name = "Coaching, 1:1s and communities"
