from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "courts"
    verbose_name = "Court decisions"
