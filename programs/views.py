from django.views.generic import DetailView, ListView

from courts.selectors import court_history, where_it_stands
from letters.models import Letter
from listing.views import JsonDetailMixin

from . import exports  # noqa: F401  (declares the JSON these pages answer, for the API document)
from .models import Condition, Program
from .selectors import control_tally

# The newest; the link below the table leads to all of them, filtered.
LETTERS_SHOWN = 25


def newest_letters(**filters):
    """(the newest LETTERS_SHOWN letters, how many there are in all)."""
    letters = Letter.objects.filter(**filters)
    return list(letters.for_list()[:LETTERS_SHOWN]), letters.count()


def sources_of(record):
    return [s.url for s in record.sources.all()]


class ProgramListView(ListView):
    queryset = Program.objects.prefetch_related("sources")
    template_name = "programs/program_list.html"


class ProgramDetailView(JsonDetailMixin, DetailView):
    queryset = Program.objects.prefetch_related(
        "sources", "program_conditions__condition", "program_conditions__sources"
    )
    template_name = "programs/program_detail.html"

    def get_context_data(self, **kwargs):
        letters, letter_count = newest_letters(program=self.object)
        awards = self.object.awards.select_related("jurisdiction").prefetch_related("sources")
        return super().get_context_data(letters=letters, letter_count=letter_count, awards=awards, **kwargs)

    def json_record(self):
        program = self.object
        conditions = [
            {
                "condition": pc.condition.code,
                "condition_label": pc.condition.name,
                "requirement": pc.requirement,
                "requirement_label": pc.get_requirement_display(),
                "effective": pc.effective,
                "announced_on": pc.announced_on,
                "sources": sources_of(pc),
            }
            for pc in program.program_conditions.all()
        ]
        return {
            "slug": program.slug,
            "name": program.name,
            "short_name": program.short_name,
            "kind": program.kind,
            "kind_label": program.get_kind_display(),
            "administering_office": program.administering_office,
            "funding_note": program.funding_note,
            "description": program.description,
            "conditions": conditions,
            "letter_count": Letter.objects.filter(program=program).count(),
            "sources": sources_of(program),
        }


class ConditionListView(ListView):
    queryset = Condition.objects.prefetch_related("sources")
    template_name = "programs/condition_list.html"

    def get_context_data(self, **kwargs):
        tally = control_tally()
        conditions = [(c, tally.get(c.pk, {})) for c in self.object_list]
        return super().get_context_data(conditions=conditions, **kwargs)


class ConditionDetailView(JsonDetailMixin, DetailView):
    queryset = Condition.objects.prefetch_related("sources", "program_conditions__program")
    template_name = "programs/condition_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_context_data(self, **kwargs):
        letters, letter_count = newest_letters(conditions=self.object)
        tally = control_tally(condition=self.object).get(self.object.pk, {})
        history = court_history(self.object)
        return super().get_context_data(
            letters=letters,
            letter_count=letter_count,
            tally=tally,
            court_history=history,
            standing=where_it_stands(history),
            **kwargs,
        )

    def json_record(self):
        condition = self.object
        return {
            "code": condition.code,
            "name": condition.name,
            "legal_basis": condition.legal_basis,
            "control_locus": condition.control_locus,
            "control_locus_label": condition.get_control_locus_display(),
            "description": condition.description,
            "demands": control_tally(condition=condition).get(condition.pk, {}),
            "letter_count": Letter.objects.filter(conditions=condition).count(),
            "sources": sources_of(condition),
        }
