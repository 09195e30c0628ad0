from django.apps import AppConfig


class DataEntryConfig(AppConfig):
    """Admin data-entry tooling: imports, and refusing to delete what is referenced."""

    name = "dataentry"
    label = "dataentry"
