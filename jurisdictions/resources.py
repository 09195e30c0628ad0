"""Admin import/export columns (django-import-export). Export then import round-trips."""

from import_export import fields

from compliance.stored import deferred
from dataentry.importing import LookupWidget, SourceUrlsWidget, TrackerResource

from .models import Booking, Facility, Jurisdiction


class JurisdictionResource(TrackerResource):
    bulk_writes = staticmethod(deferred)  # stored control and answers: once per import
    parent = fields.Field("parent", "parent", LookupWidget(Jurisdiction, "slug"))

    example_row = {
        "slug": "city-of-stockton-ca",
        "name": "City of Stockton",
        "kind": "city",
        "state": "CA",
        "parent": "san-joaquin-county-ca",
        "fips": "",
        "population": "320000",
        "latitude": "37.9577",
        "longitude": "-121.2908",
        "notes": "",
    }

    class Meta:
        model = Jurisdiction
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "state", "parent", "fips", "population", "latitude", "longitude", "notes"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class FacilityResource(TrackerResource):
    bulk_writes = staticmethod(deferred)  # stored control and answers: once per import
    operator = fields.Field("operator", "operator", LookupWidget(Jurisdiction, "slug"))
    sources = fields.Field("sources", "sources", SourceUrlsWidget())

    example_row = {
        "name": "San Joaquin County Jail",
        "state": "CA",
        "facility_type": "county_jail",
        "operator": "san-joaquin-county-ca",
        "operator_agency": "San Joaquin County Sheriff's Office",
        "sourcing": "sourced",
        "sources": "https://example.org/sheriff-jail-page",
        "notes": "",
    }

    class Meta:
        model = Facility
        import_id_fields = ["name"]
        fields = ["name", "state", "facility_type", "operator", "operator_agency", "sourcing", "sources", "notes"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class BookingResource(TrackerResource):
    bulk_writes = staticmethod(deferred)  # stored control and answers: once per import
    jurisdiction = fields.Field("jurisdiction", "jurisdiction", LookupWidget(Jurisdiction, "slug"))
    facility = fields.Field("facility", "facility", LookupWidget(Facility, "name"))
    sources = fields.Field("sources", "sources", SourceUrlsWidget())

    example_row = {
        "jurisdiction": "city-of-stockton-ca",
        "facility": "San Joaquin County Jail",
        "stage": "all",
        "sourcing": "sourced",
        "sources": "https://example.org/where-stockton-books-arrestees",
        "notes": "",
    }

    class Meta:
        model = Booking
        import_id_fields = ["jurisdiction", "facility"]
        fields = ["jurisdiction", "facility", "stage", "sourcing", "sources", "notes"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
