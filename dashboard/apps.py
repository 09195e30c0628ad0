from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"

    def ready(self):
        from .stored import connect

        connect()  # the receivers that keep the home page's stored figures true
