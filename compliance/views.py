from letters.models import Letter
from listing.views import FilteredListView

from .answer import matrices, matrix_queryset, requested_day
from .exports import MATRIX
from .filters import MatrixFilter


class MatrixListView(FilteredListView):
    """Every letter's answer, condition by condition, filtered like the letter list."""

    filterset_class = MatrixFilter
    template_name = "compliance/matrix_list.html"
    export = MATRIX
    extra_params = {"as_of"}
    paginate_by = 10

    def get_queryset(self):
        return matrix_queryset(Letter.objects.all(), requested_day(self.request))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["matrices"] = matrices(context["object_list"], requested_day(self.request))
        context["as_of_today"] = self.request.GET.get("as_of") == "today"
        return context
