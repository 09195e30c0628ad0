from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from compliance.answer import matrices, matrix_queryset, requested_day
from listing.exports import get_export
from listing.links import absolute_url
from listing.pagination import UnionAllPaginator
from listing.views import FilteredListView, FormListView, JsonDetailMixin
from revisions.history import change_log

from .exports import LETTERS, TIMELINE, cited_source_urls
from .filters import LetterFilter, TimelineForm
from .models import Event, Letter
from .selectors import timeline_entries, with_source_urls

BATCH_LETTERS_SHOWN = 60


class LetterListView(FilteredListView):
    filterset_class = LetterFilter
    template_name = "letters/letter_filter.html"
    export = LETTERS


class LetterDetailView(JsonDetailMixin, DetailView):
    template_name = "letters/letter_detail.html"

    def get_queryset(self):
        return matrix_queryset(Letter.objects.select_related("recipient__parent"), requested_day(self.request))

    def get_json_queryset(self):
        if requested_day(self.request) is not None:
            return None  # its answer as of today: read as the page reads it
        # Its sources as the URLs its record lists, not as the Source rows the page shows.
        letters = Letter.objects.annotate(cited_source_urls=cited_source_urls())
        return matrix_queryset(letters, with_sources=False)

    def batch_letters(self):
        """The other letters of its batch, by recipient, one more than shown."""
        letter = self.object
        if not letter.batch_id:
            return Letter.objects.none()
        others = Letter.objects.filter(batch_id=letter.batch_id).exclude(pk=letter.pk).order_by("recipient__name")
        return others[: BATCH_LETTERS_SHOWN + 1]

    def get_context_data(self, **kwargs):
        letter = self.object
        on = requested_day(self.request)
        # A link each: the letter's number and its recipient's name and state, not whole rows.
        others = self.batch_letters().select_related("recipient").only("recipient__name", "recipient__state")
        batch_letters = list(others)
        return super().get_context_data(
            batch_letters=batch_letters[:BATCH_LETTERS_SHOWN],
            more_in_batch=len(batch_letters) > BATCH_LETTERS_SHOWN,
            matrix=matrices([letter], on)[0],
            as_of_today=on is not None,
            changes=change_log(letter),
            **kwargs,
        )

    def json_record(self):
        # Read for its record by `get_json_queryset`, or as of today and then read again
        # for its own date (`letter_record_of`).
        record = LETTERS.record_of(self.object, self.request)
        record["responses"] = [
            {
                "date": r.responded_on,
                "responder": r.responder,
                "stance": r.stance,
                "stance_label": r.get_stance_display(),
                "summary": r.summary,
            }
            for r in self.object.responses.all()
        ]
        record["batch_letters"] = list(self.batch_letters().values_list("pk", flat=True))[:BATCH_LETTERS_SHOWN]
        # The page's object was read by matrix_queryset for the same day: answered as it is.
        record["matrix"] = get_export("matrix").record_of(self.object, self.request)
        return record


class TimelineView(FormListView):
    """Letters, responses and events in date order, built by one selector."""

    form_class = TimelineForm
    selector = staticmethod(timeline_entries)
    template_name = "letters/timeline.html"
    export = TIMELINE
    paginate_by = 50
    paginator_class = UnionAllPaginator

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        count = self.get_form().entry_count()
        if count is not None:  # already counted by the facets: not counted twice (issue 15)
            paginator.count = count
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = with_source_urls(context["object_list"])
        return context


class EventDetailView(JsonDetailMixin, DetailView):
    """One event: what happened, who it involved, its sources and the letters it bears on."""

    template_name = "letters/event_detail.html"

    def get_queryset(self):
        return Event.objects.for_page()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            letters=list(self.object.related_letters()), changes=change_log(self.object), **kwargs
        )

    def json_record(self):
        event = self.object
        return {
            "event_id": event.pk,
            "date": event.occurred_on,
            "kind": event.kind,
            "kind_label": event.get_kind_display(),
            "title": event.title,
            "summary": event.summary,
            "actor": event.actor,
            "outcome": event.outcome,
            "sourcing": event.sourcing,
            "sourcing_label": event.get_sourcing_display(),
            "jurisdictions": [j.slug for j in event.jurisdictions.all()],
            "programs": [p.slug for p in event.programs.all()],
            "conditions": [c.code for c in event.conditions.all()],
            "letters": [letter.pk for letter in event.related_letters()],
            "sources": [s.url for s in event.sources.all()],
            "url": absolute_url(event.get_absolute_url()),
        }


def letter_document(request, pk):
    letter = get_object_or_404(Letter, pk=pk)
    if not letter.document:
        raise Http404("This letter has no attached document.")
    try:
        document = letter.document.open("rb")
    except FileNotFoundError:  # a history restore can bring back a PDF since replaced and deleted
        raise Http404("This letter's document is no longer stored.") from None
    # A download, never rendered inline from the site's own origin (PDFs can carry scripts).
    return FileResponse(document, content_type="application/pdf", as_attachment=True, filename=f"letter-{pk}.pdf")
