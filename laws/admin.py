from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LegalMeasure


@admin.register(LegalMeasure)
class LegalMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "jurisdiction", "level", "kind", "effect", "enacted_on", "effective_on", "ended_on"]
    list_filter = ["level", "kind", "effect", "conditions", "sourcing", "jurisdiction__state"]
    search_fields = ["name", "citation", "summary", "jurisdiction__name", "notes"]
    autocomplete_fields = ["jurisdiction", "conditions", "sources"]
    list_select_related = ["jurisdiction"]
    date_hierarchy = "effective_on"
    fieldsets = [
        (None, {"fields": ["jurisdiction", "level", "name", "citation", "kind"]}),
        ("When in force", {"fields": ["enacted_on", "effective_on", "ended_on"]}),
        ("What it does", {"fields": ["effect", "conditions", "summary", "applies_to"]}),
        ("Sources", {"fields": ["sources", "sourcing", "notes"]}),
    ]
