from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dataentry.protection import ProtectReferencedAdminMixin

from .models import Award, Condition, Program, ProgramCondition


class ProgramConditionInline(admin.TabularInline):
    model = ProgramCondition
    extra = 0
    autocomplete_fields = ["condition", "sources"]


@admin.register(Program)
class ProgramAdmin(ProtectReferencedAdminMixin, SimpleHistoryAdmin):
    list_display = ["short_name", "name", "kind", "administering_office"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["sources"]
    inlines = [ProgramConditionInline]


@admin.register(Condition)
class ConditionAdmin(ProtectReferencedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "control_locus"]
    list_filter = ["control_locus"]
    search_fields = ["code", "name", "legal_basis", "description"]
    autocomplete_fields = ["sources"]


@admin.register(ProgramCondition)
class ProgramConditionAdmin(SimpleHistoryAdmin):
    list_display = ["program", "condition", "requirement", "effective", "announced_on"]
    list_filter = ["program", "requirement", "condition"]
    search_fields = ["program__name", "condition__code", "notes"]
    autocomplete_fields = ["program", "condition", "sources"]
    date_hierarchy = "announced_on"


@admin.register(Award)
class AwardAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "jurisdiction", "label", "fiscal_year", "amount_awarded", "amount_withheld", "sourcing"]
    list_filter = ["program", "fiscal_year", "sourcing", "jurisdiction__state"]
    search_fields = ["jurisdiction__name", "label", "what", "award_number", "notes"]
    autocomplete_fields = ["program", "jurisdiction", "sources"]
    list_select_related = ["program", "jurisdiction"]
    fieldsets = [
        (None, {"fields": ["program", "jurisdiction", "label", "fiscal_year", "period"]}),
        ("Money", {"fields": ["amount_awarded", "amount_withheld", "award_number", "what"]}),
        ("Sources", {"fields": ["sources", "sourcing", "notes"]}),
    ]
