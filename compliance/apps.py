from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """The answer to "can this jurisdiction meet DOJ's conditions?": jail, law, courts,
    responses and money per letter and condition, read by pages and exports."""

    name = "compliance"

    def ready(self):
        from . import exports  # noqa: F401  (registers the declared exports)
        from .stored import connect

        connect()  # the receivers that keep the stored answers true
