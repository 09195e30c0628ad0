from django.contrib import admin, messages
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from .models import Correction
from .notify import notify_reader


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["submitted_at", "status", "record_in_list", "short_what_is_wrong", "resolved_by", "resolved_at"]
    list_display_links = ["submitted_at"]
    list_filter = ["status", ("content_type", admin.RelatedOnlyFieldListFilter), "submitted_at", "resolved_at"]
    search_fields = ["record_label", "what_is_wrong", "what_is_right", "source_url", "editor_note"]
    date_hierarchy = "submitted_at"
    list_select_related = ["content_type", "resolved_by"]
    fieldsets = [
        (
            "The reader's suggestion",
            {"fields": ["record_link", "what_is_wrong", "what_is_right", "source_link", "submitted_at", "reader"]},
        ),
        ("Resolution", {"fields": ["status", "editor_note", "change_link", "resolved_by", "resolved_at"]}),
    ]
    readonly_fields = [
        "record_link", "what_is_wrong", "what_is_right", "source_link", "submitted_at", "reader", "email",
        "resolved_by", "resolved_at",
    ]  # fmt: skip

    def get_fieldsets(self, request, obj=None):
        """The reader's address only for staff with the permission to see it; others see whether there is one."""
        if not request.user.has_perm("corrections.view_email_address"):
            return self.fieldsets
        suggestion, resolution = self.fieldsets
        fields = [*suggestion[1]["fields"], "email"]
        return [(suggestion[0], {"fields": fields}), resolution]

    def has_add_permission(self, request):
        return False  # corrections come from readers, through the public form

    @admin.display(description="About", ordering="record_label")
    def record_in_list(self, correction):
        """The record's admin page from the stored label and content type: no query per row."""
        content_type = correction.content_type
        try:
            edit = reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[correction.object_id])
        except NoReverseMatch:
            return f"{content_type.name}: {correction.record_label}"
        return format_html('{}: <a href="{}">{}</a>', content_type.name, edit, correction.record_label)

    @admin.display(description="About")
    def record_link(self, correction):
        record = correction.record
        if record is None:
            return format_html("{} <em>(deleted)</em>", correction.record_label)
        try:
            edit = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
        except NoReverseMatch:
            edit = None
        public = format_html('<a href="{}">public page</a>', record.get_absolute_url())
        if edit:
            return format_html('{}: <a href="{}">{}</a> ({})', record._meta.verbose_name, edit, record, public)
        return format_html("{}: {} ({})", record._meta.verbose_name, record, public)

    @admin.display(description="What is wrong")
    def short_what_is_wrong(self, correction):
        text = correction.what_is_wrong
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="Source")
    def source_link(self, correction):
        if not correction.source_url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', correction.source_url,
                           correction.source_url)  # fmt: skip

    @admin.display(description="Reader's email")
    def reader(self, correction):
        if correction.reader_notified_at:
            told = timezone.localtime(correction.reader_notified_at)
            return f"Told of the resolution on {told:%Y-%m-%d}; address erased"
        if not correction.email:
            return "None left"
        return "Left; they get one message when it is resolved"

    def save_model(self, request, correction, form, change):
        if correction.status == Correction.Status.NEW:
            correction.resolved_by, correction.resolved_at = None, None
        elif "status" in form.changed_data or correction.resolved_at is None:
            correction.resolved_by, correction.resolved_at = request.user, timezone.now()
        super().save_model(request, correction, form, change)
        if correction.is_resolved and correction.email and correction.reader_notified_at is None:

            def tell_reader():
                if notify_reader(correction):
                    self.message_user(request, "The reader was told by email.", messages.SUCCESS)
                else:
                    self.message_user(request, "The email to the reader failed; send_alerts will retry.",
                                      messages.WARNING)  # fmt: skip

            transaction.on_commit(tell_reader)
