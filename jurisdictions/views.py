from django.views.generic import DetailView

from letters.models import Event, Letter
from sanctuary_tracker.listing import FilteredListView, JsonDetailMixin
from sources.history import change_log

from . import exports
from .filters import JurisdictionFilter
from .models import Jurisdiction


class JurisdictionListView(FilteredListView):
    filterset_class = JurisdictionFilter
    template_name = "jurisdictions/jurisdiction_filter.html"
    export_name = "jurisdictions"

    def get_queryset(self):
        return Jurisdiction.objects.for_list().with_bookings()

    def csv_header(self):
        return exports.CSV_HEADER

    def export_records(self, queryset):
        return (exports.jurisdiction_record(j, self.request) for j in queryset.iterator(chunk_size=2000))

    def csv_rows(self, record):
        return [exports.flat_jurisdiction_row(record)]


# The newest; the rest are one click away on the filtered letter list and the timeline.
LETTERS_SHOWN = 20
EVENTS_SHOWN = 20


class JurisdictionDetailView(JsonDetailMixin, DetailView):
    template_name = "jurisdictions/jurisdiction_detail.html"

    def get_queryset(self):
        return Jurisdiction.objects.for_detail_page().with_letter_counts()

    def get_context_data(self, **kwargs):
        jurisdiction = self.object
        letters = list(Letter.objects.filter(recipient=jurisdiction).for_detail_page()[: LETTERS_SHOWN + 1])
        return super().get_context_data(
            letters=letters[:LETTERS_SHOWN],
            more_letters=len(letters) > LETTERS_SHOWN,
            events=Event.objects.touching(jurisdiction).for_list()[:EVENTS_SHOWN],
            children=jurisdiction.children.order_by("name"),
            changes=change_log(jurisdiction),
            **kwargs,
        )

    def json_record(self, context):
        letters = Letter.objects.filter(recipient=self.object)
        return exports.jurisdiction_detail_record(self.object, letters, context["events"], self.request)
