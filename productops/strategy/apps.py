from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "productops.strategy"
    label = "strategy"
    verbose_name = "Strategy: objectives, alignment, the CEO/CPO check and delegation"
