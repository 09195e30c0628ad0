from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .importing import apply_import, plan_import
from .matching import Outcome
from .models import JurisdictionAlias, ListDispute, ListEntry, PublishedList

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ImportListForm(forms.Form):
    """The list's own facts and its CSV. After the first preview the file's text travels
    in a hidden field, so confirming matches needs no second upload."""

    csv_file = forms.FileField(
        required=False,
        label="CSV file",
        help_text="Columns: jurisdiction_name, kind, state, source_url, <the list's section column>, notes "
        "(optional jurisdiction_slug confirms a match).",
    )
    csv_text = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(max_length=300)
    slug = forms.SlugField(max_length=120, help_text="Importing again into the same slug replaces its entries.")
    publisher = forms.CharField(max_length=200)
    published_on = forms.DateField(help_text="YYYY-MM-DD")
    withdrawn_on = forms.DateField(required=False, help_text="YYYY-MM-DD, if it was taken down.")
    source_urls = forms.CharField(required=False, label="Sources of the list", help_text="URLs, space-separated.")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("csv_file")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError("The file is larger than 2 MB.")
            try:
                cleaned["csv_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError("The file is not UTF-8 text.") from None
        if not cleaned.get("csv_text"):
            raise ValidationError("Choose a CSV file.")
        urls = cleaned.get("source_urls", "").split()
        validator = forms.URLField()
        cleaned["source_url_list"] = [validator.clean(url) for url in urls]
        return cleaned


def confirmations_from(data):
    """{line: slug} from the preview's per-row `confirm-<line>` inputs."""
    chosen = {}
    for key, value in data.items():
        if key.startswith("confirm-") and key.removeprefix("confirm-").isdigit() and value.strip():
            chosen[int(key.removeprefix("confirm-"))] = value.strip()
    return chosen


class ListEntryInline(admin.TabularInline):
    model = ListEntry
    extra = 0
    autocomplete_fields = ["jurisdiction", "sources"]
    fields = ["section", "name_as_printed", "jurisdiction", "sourcing", "sources", "notes"]


class ListDisputeInline(admin.StackedInline):
    model = ListDispute
    extra = 0
    autocomplete_fields = ["jurisdiction", "sources"]
    fields = ["jurisdiction", "kind", "occurred_on", "who", "statement", "sourcing", "sources", "notes"]


@admin.register(PublishedList)
class PublishedListAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "withdrawn_on", "entries_complete"]
    search_fields = ["title", "publisher", "slug"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["superseded_by", "sources"]
    inlines = [ListEntryInline, ListDisputeInline]
    change_list_template = "admin/sanctuary_lists/publishedlist/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="sanctuary_lists_publishedlist_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload → preview (a dry run: matched / new / ambiguous / invalid per row) →
        confirm matches → import, which writes everything or nothing."""
        # The import may create jurisdictions and aliases as well as the list and its entries.
        needed = [
            "sanctuary_lists.add_listentry",
            "sanctuary_lists.add_jurisdictionalias",
            "jurisdictions.add_jurisdiction",
        ]
        if not (self.has_add_permission(request) and request.user.has_perms(needed)):
            raise PermissionDenied
        form = ImportListForm(request.POST or None, request.FILES or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            plan = plan_import(data["csv_text"], confirmations=confirmations_from(request.POST))
            form = ImportListForm(initial={**data, "csv_file": None})
            if "import" in request.POST and not plan.blocked:
                values = {
                    "title": data["title"],
                    "publisher": data["publisher"],
                    "published_on": data["published_on"],
                    "withdrawn_on": data["withdrawn_on"],
                    "notes": data["notes"],
                }
                try:
                    result = apply_import(
                        plan, slug=data["slug"], list_values=values, list_source_urls=data["source_url_list"]
                    )
                except ValidationError as error:
                    messages.error(request, "Nothing was imported: " + "; ".join(error.messages))
                else:
                    messages.success(
                        request,
                        f"Imported {result.entries} entries into “{result.published_list.title}”; "
                        f"{len(result.created_jurisdictions)} jurisdictions created, {result.aliases_added} aliases "
                        f"kept, {result.removed_entries} old entries removed.",
                    )
                    return redirect(
                        reverse("admin:sanctuary_lists_publishedlist_change", args=[result.published_list.pk])
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a published list",
            "form": form,
            "plan": plan,
            "blocking": {Outcome.AMBIGUOUS, Outcome.INVALID},
        }
        return TemplateResponse(request, "admin/sanctuary_lists/import.html", context)


@admin.register(ListEntry)
class ListEntryAdmin(SimpleHistoryAdmin):
    list_display = ["name_as_printed", "jurisdiction", "section", "published_list", "sourcing"]
    list_filter = ["published_list", "section", "sourcing"]
    search_fields = ["name_as_printed", "jurisdiction__name"]
    autocomplete_fields = ["published_list", "jurisdiction", "sources"]
    list_select_related = ["jurisdiction", "published_list"]


@admin.register(ListDispute)
class ListDisputeAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_on", "jurisdiction", "published_list", "kind", "who", "sourcing"]
    list_filter = ["kind", "published_list", "sourcing"]
    search_fields = ["jurisdiction__name", "who", "statement"]
    autocomplete_fields = ["published_list", "jurisdiction", "sources"]
    date_hierarchy = "occurred_on"
    list_select_related = ["jurisdiction", "published_list"]


@admin.register(JurisdictionAlias)
class JurisdictionAliasAdmin(SimpleHistoryAdmin):
    list_display = ["alias", "state", "jurisdiction"]
    list_filter = ["state"]
    search_fields = ["alias", "jurisdiction__name"]
    autocomplete_fields = ["jurisdiction"]
    list_select_related = ["jurisdiction"]
