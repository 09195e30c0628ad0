from django.apps import AppConfig


class RevisionsConfig(AppConfig):
    """The data version behind the page cache, and the public change log."""

    name = "revisions"

    def ready(self):
        from . import signals

        signals.connect()
