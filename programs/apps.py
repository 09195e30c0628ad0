from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self):
        from django.db.models.signals import pre_delete

        from dataentry.protection import refuse_delete_if_referenced

        from .models import Condition, Program

        for model in (Program, Condition):
            pre_delete.connect(refuse_delete_if_referenced, sender=model, dispatch_uid=f"protect-{model.__name__}")
