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

    def paginate_queryset(self, queryset, page_size):
        """Pick the page's letters by their ids alone, then read those letters with
        everything the answer needs. With the law and courts filters, the filters'
        subqueries plus the page's joins are more tables than PostgreSQL reorders
        (join_collapse_limit), and it filtered every letter before the selective
        stored-answer test (80-170 ms at national scale; issue 15). The ids are a
        subquery of the same single query, so the count of queries does not change."""
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values("pk"), page_size)
        letters = self.get_queryset().filter(pk__in=ids)
        if queryset.query.order_by:  # a chosen sort; else the model's own ordering
            letters = letters.order_by(*queryset.query.order_by)
        page.object_list = letters
        return paginator, page, letters, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("as_of") not in (None, "", "today"):
            context["notices"].append("as_of takes only “today”; showing each letter's own date.")
        context["matrices"] = matrices(context["object_list"], self.day)
        context["as_of_today"] = self.day is not None
        return context
