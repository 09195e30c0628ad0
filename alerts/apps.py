from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Follow a jurisdiction or condition by email: double opt-in, digests, one-click unsubscribe."""

    name = "alerts"
