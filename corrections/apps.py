from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    """Readers' suggested corrections: stored for editors, never published."""

    name = "corrections"
