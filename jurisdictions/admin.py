from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from dataentry.protection import ProtectReferencedAdminMixin
from listing.admin_filters import annotation_filter

from .control import ControlStatus
from .models import Booking, Facility, Jurisdiction
from .resources import BookingResource, FacilityResource, JurisdictionResource


class BookingInline(admin.TabularInline):
    model = Booking
    fk_name = "jurisdiction"
    extra = 0
    autocomplete_fields = ["facility", "sources"]
    fields = ["facility", "stage", "valid_from", "valid_to", "valid_precision", "sourcing", "sources", "notes"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(ProtectReferencedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [JurisdictionResource]
    list_display = ["name", "kind", "state", "parent", "jail_control_display", "letter_count"]
    list_filter = [
        "kind",
        annotation_filter("jail_control", ControlStatus, "runs the jails holding its arrestees"),
        "state",
    ]
    ordering = ["state", "name"]
    search_fields = ["name", "slug", "fips"]
    autocomplete_fields = ["parent", "sources", "local_jails_source"]
    prepopulated_fields = {"slug": ["name", "state"]}
    inlines = [BookingInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "state", "parent", "sources", "notes"]}),
        (
            "Local jails (states only)",
            {"fields": ["local_jails_operated_by", "local_jails_source", "local_jails_sourcing"]},
        ),
        (
            "Census and map",
            {"classes": ["collapse"], "fields": ["fips", "population", "latitude", "longitude"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").with_jail_control().with_letter_counts()

    @admin.display(description="Jail control", ordering="jail_control")
    def jail_control_display(self, obj):
        return ControlStatus(obj.jail_control).label

    @admin.display(description="Letters", ordering="letter_count")
    def letter_count(self, obj):
        return obj.letter_count


@admin.register(Facility)
class FacilityAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [FacilityResource]
    list_display = ["name", "facility_type", "operator", "operator_agency", "state", "sourcing"]
    list_filter = ["facility_type", "sourcing", "state"]
    search_fields = ["name", "operator__name", "operator_agency"]
    autocomplete_fields = ["operator", "sources"]
    list_select_related = ["operator"]


@admin.register(Booking)
class BookingAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [BookingResource]
    list_display = ["jurisdiction", "facility", "stage", "valid_from", "valid_to", "sourcing"]
    list_filter = ["stage", "sourcing", "valid_precision", "facility__facility_type"]
    search_fields = ["jurisdiction__name", "facility__name"]
    autocomplete_fields = ["jurisdiction", "facility", "sources"]
    list_select_related = ["jurisdiction", "facility"]
