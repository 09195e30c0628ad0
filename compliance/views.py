from listing.views import FilteredListView

from .answer import matrices, requested_day
from .exports import MATRIX
from .filters import MatrixFilter


class MatrixListView(FilteredListView):
    """Every letter's answer, condition by condition, filtered like the letter list."""

    filterset_class = MatrixFilter
    template_name = "compliance/matrix_list.html"
    export = MATRIX
    extra_params = {"as_of"}
    paginate_by = 10

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.day = requested_day(request)

    def get_queryset(self):
        return MatrixFilter.list_rows(self.day)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("as_of") not in (None, "", "today"):
            context["notices"].append("as_of takes only “today”; showing each letter's own date.")
        context["matrices"] = matrices(context["object_list"], self.day)
        context["as_of_today"] = self.day is not None
        return context
