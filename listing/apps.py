from django.apps import AppConfig


class ListingConfig(AppConfig):
    """Filtered lists kept in the URL, and CSV/JSON export of exactly what they show."""

    name = "listing"
