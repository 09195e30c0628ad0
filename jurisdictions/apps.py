from django.apps import AppConfig


class JurisdictionsConfig(AppConfig):
    name = "jurisdictions"

    def ready(self):
        from django.db.models.signals import pre_delete

        from sources.protection import refuse_delete_if_referenced

        from .models import Jurisdiction

        for model in (Jurisdiction,):
            pre_delete.connect(refuse_delete_if_referenced, sender=model, dispatch_uid=f"protect-{model.__name__}")
