from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"

    def ready(self):
        from listing.facets import use_stored_counts

        from .stored import connect, list_facet_counts

        connect()  # the receivers that keep the home page's stored figures true
        use_stored_counts(list_facet_counts)  # the lists' facet counts with nothing chosen
