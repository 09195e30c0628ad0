from django.views.generic import DetailView, ListView

from letters.models import Letter
from sanctuary_tracker.listing import JsonDetailMixin

from .models import Condition, Program
from .selectors import control_tally


class ProgramListView(ListView):
    queryset = Program.objects.prefetch_related("sources")
    template_name = "programs/program_list.html"


class ProgramDetailView(JsonDetailMixin, DetailView):
    queryset = Program.objects.prefetch_related(
        "sources", "program_conditions__condition", "program_conditions__sources"
    )
    template_name = "programs/program_detail.html"

    def get_context_data(self, **kwargs):
        letters = Letter.objects.filter(program=self.object).for_list()
        return super().get_context_data(letters=letters, **kwargs)

    def json_record(self, context):
        program = self.object
        return {
            "slug": program.slug,
            "name": program.name,
            "short_name": program.short_name,
            "kind": program.kind,
            "administering_office": program.administering_office,
            "funding_note": program.funding_note,
            "description": program.description,
            "conditions": [
                {
                    "condition": pc.condition.code,
                    "requirement": pc.requirement,
                    "effective": pc.effective,
                    "announced_on": pc.announced_on,
                    "sources": [s.url for s in pc.sources.all()],
                }
                for pc in program.program_conditions.all()
            ],  # fmt: skip
            "letters": [letter.pk for letter in context["letters"]],
            "sources": [s.url for s in program.sources.all()],
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
        letters = Letter.objects.filter(conditions=self.object).for_list()
        tally = control_tally(condition=self.object).get(self.object.pk, {})
        return super().get_context_data(letters=letters, tally=tally, **kwargs)

    def json_record(self, context):
        condition = self.object
        return {
            "code": condition.code,
            "name": condition.name,
            "legal_basis": condition.legal_basis,
            "control_locus": condition.control_locus,
            "description": condition.description,
            "demands": context["tally"],
            "letters": [letter.pk for letter in context["letters"]],
            "sources": [s.url for s in condition.sources.all()],
        }
