from itertools import batched

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from sanctuary_tracker.listing import FilteredListView, JsonDetailMixin
from sources.history import change_log

from . import exports
from .filters import LetterFilter, TimelineFilter
from .models import Event, Letter
from .selectors import with_source_urls

BATCH_LETTERS_SHOWN = 60


class LetterListView(FilteredListView):
    filterset_class = LetterFilter
    template_name = "letters/letter_filter.html"
    export_name = "letters"

    def get_queryset(self):
        return Letter.objects.for_list()

    def csv_header(self):
        return exports.CSV_HEADER

    def export_records(self, queryset):
        return exports.letter_records(queryset, self.request)

    def csv_rows(self, record):
        return exports.letter_csv_rows(record)


class LetterDetailView(JsonDetailMixin, DetailView):
    template_name = "letters/letter_detail.html"

    def get_queryset(self):
        return Letter.objects.for_detail_page()

    def get_context_data(self, **kwargs):
        letter = self.object
        batch_letters = []
        if letter.batch_id:
            others = letter.batch.letters.exclude(pk=letter.pk).select_related("recipient").order_by("recipient__name")
            batch_letters = list(others[: BATCH_LETTERS_SHOWN + 1])
        return super().get_context_data(
            batch_letters=batch_letters[:BATCH_LETTERS_SHOWN],
            more_in_batch=len(batch_letters) > BATCH_LETTERS_SHOWN,
            changes=change_log(letter),
            **kwargs,
        )

    def json_record(self, context):
        record = next(exports.letter_records(Letter.objects.filter(pk=self.object.pk), self.request))
        record["responses"] = [
            {"date": r.responded_on, "responder": r.responder, "stance": r.stance, "summary": r.summary}
            for r in self.object.responses.all()
        ]
        record["batch_letters"] = [letter.pk for letter in context["batch_letters"]]
        return record


class TimelineView(FilteredListView):
    """Letters, responses and events in date order; TimelineFilter builds the queryset."""

    filterset_class = TimelineFilter
    template_name = "letters/timeline.html"
    export_name = "timeline"
    paginate_by = 50

    def get_queryset(self):
        return Event.objects.none()

    def csv_header(self):
        return exports.TIMELINE_CSV_HEADER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = with_source_urls(context["object_list"])
        return context

    def export_records(self, queryset):
        for chunk in batched(queryset.iterator(chunk_size=2000), 2000):
            for entry in with_source_urls(chunk):
                yield exports.timeline_record(entry, self.request)


def letter_document(request, pk):
    letter = get_object_or_404(Letter, pk=pk)
    if not letter.document:
        raise Http404("This letter has no attached document.")
    return FileResponse(letter.document.open("rb"), content_type="application/pdf", filename=f"letter-{pk}.pdf")
