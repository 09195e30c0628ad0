from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from listing.views import FilteredListView, FormListView

from .exports import LIST_ENTRIES, PUBLISHED_LISTS
from .filters import CompareForm, ListEntryFilter, PublishedListIndexForm
from .models import ListDispute, PublishedList
from .selectors import compare_lists


class PublishedListIndexView(FormListView):
    template_name = "sanctuary_lists/publishedlist_list.html"
    form_class = PublishedListIndexForm
    selector = staticmethod(PublishedList.objects.for_index)
    export = PUBLISHED_LISTS


class PublishedListDetailView(FilteredListView):
    """One list's entries, grouped by section, filterable and exportable."""

    filterset_class = ListEntryFilter
    template_name = "sanctuary_lists/publishedlist_detail.html"
    export = LIST_ENTRIES
    paginate_by = 200

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.published_list = get_object_or_404(
            PublishedList.objects.select_related("superseded_by").prefetch_related("sources", "supersedes"),
            slug=kwargs["slug"],
        )

    def get_queryset(self):
        return self.published_list.entries.for_list_page()

    def get_context_data(self, **kwargs):
        disputes = ListDispute.objects.filter(published_list=self.published_list).select_related("jurisdiction")
        return super().get_context_data(
            published_list=self.published_list,
            disputes=disputes.prefetch_related("sources"),
            other_lists=PublishedList.objects.exclude(pk=self.published_list.pk),
            **kwargs,
        )


@require_safe
def list_by_id(request, pk):
    """The timeline links lists by id; their pages live at their slug."""
    return redirect(get_object_or_404(PublishedList, pk=pk), permanent=True)


@require_safe
def compare(request):
    form = CompareForm(request.GET or None)
    diff = compare_lists(a=form.cleaned_data["a"], b=form.cleaned_data["b"]) if form.is_valid() else None
    return render(request, "sanctuary_lists/compare.html", {"form": form, "diff": diff})
