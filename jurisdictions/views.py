from django.views.generic import DetailView

from compliance.answer import matrices, matrix_queryset, requested_day
from courts.models import CourtDecision
from laws.models import LegalMeasure
from letters.models import Event, Letter
from listing.exports import get_export
from listing.views import FilteredListView, JsonDetailMixin
from programs.models import Award
from revisions.history import change_log
from sanctuary_lists.selectors import lists_naming

from .control import attach_jail_control
from .exports import JURISDICTIONS, jurisdiction_record
from .filters import JurisdictionFilter
from .models import Jurisdiction

# The oldest letters and the first events; the rest are one click away on the filtered
# matrix, the letter list and the timeline.
LETTERS_SHOWN = 20
EVENTS_SHOWN = 20


class JurisdictionListView(FilteredListView):
    filterset_class = JurisdictionFilter
    template_name = "jurisdictions/jurisdiction_filter.html"
    export = JURISDICTIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_jail_control(context["object_list"])
        return context


class JurisdictionDetailView(JsonDetailMixin, DetailView):
    template_name = "jurisdictions/jurisdiction_detail.html"

    def get_queryset(self):
        return Jurisdiction.objects.for_detail_page().with_letter_counts()

    def get_context_data(self, **kwargs):
        jurisdiction = self.object
        on = requested_day(self.request)
        jails_run = list(jurisdiction.operated_facilities.for_operator_page())
        attach_jail_control(
            [jurisdiction], bookings={jurisdiction.pk: jurisdiction.bookings.all()}, jails={jurisdiction.pk: jails_run}
        )
        letters = jurisdiction.letters_received.order_by("sent_on", "pk")
        awards = list(Award.objects.filter(jurisdiction=jurisdiction).prefetch_related("sources"))
        # `letter_count` (get_queryset) says whether there are more: no 21st answer to build.
        letters = matrix_queryset(letters, on, of_recipient=True)[:LETTERS_SHOWN]
        answers = matrices(letters, on, awards={jurisdiction.pk: awards})
        involving = self.events()
        circuit = Event.objects.circuit_rulings(jurisdiction).exclude(pk__in=[e.pk for e in involving])
        return super().get_context_data(
            matrices=answers,
            more_letters=jurisdiction.letter_count > LETTERS_SHOWN,
            as_of_today=on is not None,
            jails_run=jails_run,
            measures=LegalMeasure.objects.of_jurisdiction_page(jurisdiction),
            awards=awards,
            orders=CourtDecision.objects.filter(covered_jurisdictions=jurisdiction)
            .prefetch_related("conditions", "sources")
            .order_by("in_force_from", "pk"),
            events=involving,
            circuit_events=circuit.for_list().order_by("-occurred_on", "-pk")[:EVENTS_SHOWN],
            children=jurisdiction.children.order_by("name"),
            named_on=lists_naming(jurisdiction=jurisdiction),
            changes=change_log(jurisdiction),
            **kwargs,
        )

    def events(self):
        """The first events involving it, oldest first."""
        involving = Event.objects.involving(self.object).for_list().order_by("occurred_on", "pk")
        return list(involving[:EVENTS_SHOWN])

    def json_record(self):
        jurisdiction = self.object
        attach_jail_control([jurisdiction], bookings={jurisdiction.pk: jurisdiction.bookings.all()})
        record = jurisdiction_record(jurisdiction, self.request)
        record["bookings"] = [
            {
                "facility": b.facility.name,
                "facility_type": b.facility.facility_type,
                "facility_type_label": b.facility.get_facility_type_display(),
                "operator": {"name": b.facility.operator.name, "slug": b.facility.operator.slug},
                "operator_agency": b.facility.operator_agency,
                "stage": b.stage,
                "stage_label": b.get_stage_display(),
                "valid_from": b.valid_from,
                "valid_to": b.valid_to,
                "sourcing": b.sourcing,
                "sourcing_label": b.get_sourcing_display(),
                "sources": [s.url for s in b.sources.all()],
            }
            for b in jurisdiction.bookings.all()
        ]
        record["letters"] = list(
            get_export("letters").records(Letter.objects.filter(recipient=jurisdiction), self.request)
        )
        record["named_on"] = [
            {
                "list": naming.published_list.slug,
                "title": naming.published_list.title,
                "publisher": naming.published_list.publisher,
                "published_on": naming.published_list.published_on,
                "withdrawn_on": naming.published_list.withdrawn_on,
                "entries": [
                    {
                        "section": entry.section,
                        "name_as_printed": entry.name_as_printed,
                        "sourcing": entry.sourcing,
                        "sourcing_label": entry.get_sourcing_display(),
                        "sources": [s.url for s in entry.sources.all()],
                    }
                    for entry in naming.entries
                ],
                "disputes": [
                    {
                        "date": dispute.occurred_on,
                        "kind": dispute.kind,
                        "kind_label": dispute.get_kind_display(),
                        "who": dispute.who,
                        "statement": dispute.statement,
                        "sources": [s.url for s in dispute.sources.all()],
                    }
                    for dispute in naming.disputes
                ],
            }
            for naming in lists_naming(jurisdiction=jurisdiction)
        ]
        record["events"] = [
            {
                "date": e.occurred_on,
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "title": e.title,
                "summary": e.summary,
                "sources": [s.url for s in e.source_list],
            }
            for e in self.events()
        ]
        return record
