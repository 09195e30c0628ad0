from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from compliance.answer import matrices_for
from dataentry.admin import TrackerImportExportAdmin
from listing.admin_filters import annotation_filter

from .models import Batch, Demand, Event, Letter, LetterStatus, Response
from .resources import LetterResource


class DemandInline(admin.TabularInline):
    model = Demand
    extra = 2
    autocomplete_fields = ["condition"]
    verbose_name = "condition demanded"
    verbose_name_plural = "conditions demanded"


class LetterSourceInline(admin.TabularInline):
    model = Letter.sources.through
    extra = 1
    min_num = 1
    validate_min = True
    autocomplete_fields = ["source"]
    verbose_name = "source"
    verbose_name_plural = "sources"


class ResponseInline(admin.StackedInline):
    model = Response
    extra = 0
    autocomplete_fields = ["sources"]
    fields = ["responded_on", "responder", "stance", "summary", "sources", "sourcing", "notes"]


@admin.register(Letter)
class LetterAdmin(TrackerImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [LetterResource]
    list_display = ["recipient", "program", "sent_on", "deadline", "status_display", "batch"]
    list_filter = [
        annotation_filter("status", LetterStatus, "status"),
        "program",
        "batch",
        "conditions",
        "recipient__kind",
        "recipient__state",
    ]
    search_fields = ["recipient__name", "addressee", "sender_name", "notes"]
    date_hierarchy = "sent_on"
    autocomplete_fields = ["recipient", "program", "batch"]
    readonly_fields = ["control_analysis"]
    inlines = [DemandInline, LetterSourceInline, ResponseInline]
    fieldsets = [
        (None, {"fields": ["program", "program_context", "batch", "recipient", "addressee", "addressee_confirmed"]}),
        ("Dates", {"fields": ["sent_on", "deadline"]}),
        ("Sender", {"fields": ["sender_name", "sender_title", "sender_office"]}),
        ("Document", {"fields": ["document", "document_url", "notes"]}),
        ("Who controls each condition", {"fields": ["control_analysis"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient", "program", "batch").with_status()

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        return LetterStatus(obj.status).label

    @admin.display(description="Control analysis")
    def control_analysis(self, obj):
        if obj.pk is None:
            return "Save the letter to see who controls each condition."
        found = matrices_for(Letter.objects.filter(pk=obj.pk))
        if not found:  # a deleted letter seen in its history
            return "Restore the letter to see the answer."
        matrix = found[0]
        if not matrix.rows:
            return "No conditions demanded yet."
        rows = [
            (row.condition.code, row.jail.label, row.jail.sentence, row.law.sentence, row.court_label)
            for row in matrix.rows
        ]
        return format_html(
            "<p>As of {} ({}). {}</p><table><thead><tr><th>Condition</th><th>{}: runs the jail?</th><th>Why</th>"
            "<th>Law</th>"
            "<th>Courts</th></tr></thead><tbody>{}</tbody></table>",
            matrix.day,
            matrix.answer.label,
            matrix.answer.sentence,
            matrix.jurisdiction.name,
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )


@admin.register(Batch)
class BatchAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "is_partial"]
    search_fields = ["code", "label"]


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ["letter", "responded_on", "responder", "stance", "sourcing"]
    list_filter = ["stance", "sourcing"]
    search_fields = ["responder", "summary", "notes", "letter__recipient__name"]
    autocomplete_fields = ["letter", "sources"]
    date_hierarchy = "responded_on"


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_on", "kind", "title", "sourcing"]
    list_filter = ["kind", "sourcing", "programs"]
    search_fields = ["title", "summary", "actor"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["jurisdictions", "programs", "conditions", "sources"]

    def get_changeform_initial_data(self, request):
        return {"occurred_on": timezone.localdate(), **super().get_changeform_initial_data(request)}
