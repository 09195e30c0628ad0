"""Admin import/export columns (django-import-export). Export then import round-trips."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget

from dataentry.importing import SourceUrlsWidget, TrackerResource

from .models import Booking, Facility, Jurisdiction


class JurisdictionResource(TrackerResource):
    parent = fields.Field("parent", "parent", ForeignKeyWidget(Jurisdiction, "slug"))

    class Meta:
        model = Jurisdiction
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "state", "parent", "fips", "population", "latitude", "longitude", "notes"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class FacilityResource(TrackerResource):
    operator = fields.Field("operator", "operator", ForeignKeyWidget(Jurisdiction, "slug"))
    sources = fields.Field("sources", "sources", SourceUrlsWidget())

    class Meta:
        model = Facility
        import_id_fields = ["name"]
        fields = ["name", "state", "facility_type", "operator", "operator_agency", "sourcing", "sources", "notes"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class BookingResource(TrackerResource):
    jurisdiction = fields.Field("jurisdiction", "jurisdiction", ForeignKeyWidget(Jurisdiction, "slug"))
    facility = fields.Field("facility", "facility", ForeignKeyWidget(Facility, "name"))
    sources = fields.Field("sources", "sources", SourceUrlsWidget())

    class Meta:
        model = Booking
        import_id_fields = ["jurisdiction", "facility"]
        fields = ["jurisdiction", "facility", "stage", "sourcing", "sources", "notes"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
