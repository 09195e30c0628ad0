from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"

    def ready(self):
        from . import exports  # noqa: F401  (registers the declared exports)
