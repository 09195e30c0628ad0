from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dataentry.admin import TrackerImportExportAdmin
from dataentry.protection import ProtectReferencedAdminMixin
from listing.admin_filters import annotation_filter

from .control import JAIL_TYPES, ControlStatus
from .models import Booking, Facility, Jurisdiction
from .resources import BookingResource, FacilityResource, JurisdictionResource


class BookingInline(admin.TabularInline):
    model = Booking
    fk_name = "jurisdiction"
    extra = 0
    autocomplete_fields = ["facility", "sources"]
    fields = ["facility", "stage", "valid_from", "valid_to", "valid_precision", "sourcing", "sources", "notes"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(ProtectReferencedAdminMixin, TrackerImportExportAdmin, SimpleHistoryAdmin):
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


class FacilityForm(forms.ModelForm):
    book_operator = forms.BooleanField(
        required=False,
        initial=True,
        label="Its operator's own arrestees are held here",
        help_text="For a county or state jail: also record the booking of the operator's own arrestees "
        "(same sources), so the operator's page does not say “Unknown”.",
    )

    class Meta:
        model = Facility
        fields = ["name", "state", "facility_type", "operator", "operator_agency", "sourcing", "notes", "sources"]


@admin.register(Facility)
class FacilityAdmin(TrackerImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [FacilityResource]
    form = FacilityForm
    list_display = ["name", "facility_type", "operator", "operator_agency", "state", "sourcing"]
    list_filter = ["facility_type", "sourcing", "state"]
    search_fields = ["name", "operator__name", "operator_agency"]
    autocomplete_fields = ["operator", "sources"]
    list_select_related = ["operator"]

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "book_operator"]
        return fields if obj else [*fields, "book_operator"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        facility = form.instance
        wanted = not change and form.cleaned_data.get("book_operator") and facility.facility_type in JAIL_TYPES
        if wanted and not facility.bookings.filter(jurisdiction=facility.operator_id).exists():
            booking = Booking.objects.create(
                jurisdiction=facility.operator, facility=facility, stage=Booking.Stage.ALL, sourcing=facility.sourcing
            )
            booking.sources.set(facility.sources.all())
            operator = facility.operator.name
            self.message_user(request, f"Recorded that {operator}'s own arrestees are held at {facility}.")


@admin.register(Booking)
class BookingAdmin(TrackerImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [BookingResource]
    list_display = ["jurisdiction", "facility", "stage", "valid_from", "valid_to", "sourcing"]
    list_filter = ["stage", "sourcing", "valid_precision", "facility__facility_type"]
    search_fields = ["jurisdiction__name", "facility__name"]
    autocomplete_fields = ["jurisdiction", "facility", "sources"]
    list_select_related = ["jurisdiction", "facility"]
