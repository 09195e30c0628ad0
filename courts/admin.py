from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CourtDecision


@admin.register(CourtDecision)
class CourtDecisionAdmin(SimpleHistoryAdmin):
    list_display = ["case_name", "court", "decided_on", "holding", "binding_effect", "covered", "in_force_until"]
    list_filter = ["binding_effect", "holding", "covered", "precedent_circuit", "programs", "conditions", "sourcing"]
    search_fields = ["case_name", "court", "outcome", "plaintiffs", "notes"]
    autocomplete_fields = ["programs", "conditions", "covered_jurisdictions", "superseded_by", "sources"]
    date_hierarchy = "decided_on"
    fieldsets = [
        (None, {"fields": ["case_name", "court", "decided_on", "decision_kind", "outcome", "plaintiffs", "scope"]}),
        (
            "What it covers",
            {
                "fields": [
                    "holding",
                    "binding_effect",
                    "programs",
                    "all_federal_funds",
                    "conditions",
                    "fiscal_years",
                    "covered",
                    "covered_organisation",
                    "covered_jurisdictions",
                ]
            },
        ),
        ("When it binds", {"fields": ["in_force_from", "in_force_until", "superseded_by", "precedent_circuit"]}),
        ("Sources", {"fields": ["sources", "sourcing", "notes"]}),
    ]
