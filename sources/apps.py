from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"

    def ready(self):
        from django.db.models.signals import pre_delete

        from sources.protection import refuse_delete_if_referenced

        from . import signals
        from .models import Source

        signals.connect()
        for model in (Source,):
            pre_delete.connect(refuse_delete_if_referenced, sender=model, dispatch_uid=f"protect-{model.__name__}")
