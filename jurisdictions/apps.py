from django.apps import AppConfig


class JurisdictionsConfig(AppConfig):
    name = "jurisdictions"

    def ready(self):
        from django.db.models.signals import pre_delete

        from dataentry.protection import refuse_delete_if_referenced

        from . import exports  # noqa: F401  (registers the declared exports)
        from .models import Jurisdiction

        pre_delete.connect(refuse_delete_if_referenced, sender=Jurisdiction, dispatch_uid="protect-Jurisdiction")
