from django.apps import AppConfig


class JurisdictionsConfig(AppConfig):
    name = "jurisdictions"
