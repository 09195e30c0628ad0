from django.apps import AppConfig


class SanctuaryListsConfig(AppConfig):
    name = "sanctuary_lists"
    verbose_name = "Published sanctuary lists"
