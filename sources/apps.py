from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"

    def ready(self):
        from django.db.models.signals import pre_delete

        from dataentry.protection import refuse_delete_if_referenced

        from .models import Source

        pre_delete.connect(refuse_delete_if_referenced, sender=Source, dispatch_uid="protect-Source")
