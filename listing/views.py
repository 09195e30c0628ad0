"""What every public list shares: filters kept in the URL, forgiving pagination,
notices for ignored input, and CSV/JSON export of exactly the filtered rows.

Apps supply a filter (a django-filter FilterSet, or a plain form and one selector for
lists that are not one model's rows), and their declared `Export`; nothing here knows
about letters or jurisdictions.
"""

from django.conf import settings
from django.utils.http import urlencode
from django.views.generic import ListView
from django_filters.views import FilterView

from .exports import FORMATS, bad_request, detail_json
from .throttle import seconds_to_wait, too_many_requests

NON_FILTER_PARAMS = {"page", "format"}


class JsonDetailMixin:
    """Detail pages answer ?format=json with the record `json_record(context)` builds."""

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") == "json":
            return detail_json(self.json_record(context))
        return super().render_to_response(context, **kwargs)


def active_filters(form, params):
    """(label, value, URL without this filter) for each filter the user set and that applied."""
    if not form.is_bound or not form.is_valid():
        return []
    chips = []
    for name, field in form.fields.items():
        raw = params.get(name)
        if not raw or name == "sort":
            continue
        value = form.cleaned_data.get(name)
        display = dict(field.choices).get(raw, raw) if hasattr(field, "choices") else raw
        if hasattr(value, "pk"):
            display = str(value)
        remaining = [(key, v) for key, v in params.lists() for v in v if key not in (name, "page")]
        chips.append((field.label or name, display, "?" + urlencode(remaining)))
    return chips


class ListPageMixin:
    """?format=csv|json answers with the view's declared `export` over every filtered
    row (not just the page), at most RATE_LIMIT_EXPORT times a minute per address;
    invalid filters give a 400 naming the fields, and on the page show form errors,
    never a 500."""

    paginate_by = 25
    export = None
    extra_params = set()  # parameters the view reads besides the filters

    def filtered(self):
        """(bound form, filtered rows)."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("format")
        if export_format is None or export_format == "html":
            return super().get(request, *args, **kwargs)
        if export_format not in FORMATS:
            return bad_request(f"Unknown format {export_format!r}; use csv or json.")
        wait = seconds_to_wait(request, "export", settings.RATE_LIMIT_EXPORT)
        if wait is not None:
            return too_many_requests(request, wait)
        form, rows = self.filtered()
        if not form.is_valid():
            return bad_request("Invalid filter values.", form.errors)
        return self.export.response(export_format, rows, request)

    def paginate_queryset(self, queryset, page_size):
        """Out-of-range or malformed page numbers show the nearest page with a notice."""
        paginator = self.get_paginator(queryset, page_size)
        requested = self.request.GET.get("page", "1")
        page = paginator.get_page(requested)
        if requested != str(page.number):
            self.notices.append(f"There is no page “{requested}”; showing page {page.number} of {paginator.num_pages}.")
        return paginator, page, page.object_list, page.has_other_pages()

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.notices = []

    def list_context(self, form, context):
        params = self.request.GET
        unknown = sorted(set(params) - set(form.fields) - NON_FILTER_PARAMS - self.extra_params)
        if unknown:
            self.notices.append(
                "Ignored unknown parameter" + ("s" if len(unknown) > 1 else "") + ": " + ", ".join(unknown) + "."
            )
        query = params.copy()
        query.pop("page", None)
        query.pop("format", None)
        return {
            "notices": self.notices,
            "active_filters": active_filters(form, query),
            "query_without_page": query.urlencode(),
            "filter_errors": form.is_bound and not form.is_valid(),
            "total_count": context["paginator"].count if context.get("paginator") else len(context["object_list"]),
        }


class FilteredListView(ListPageMixin, FilterView):
    """A list of one model's rows filtered by a django-filter FilterSet (strict: bad
    values give no rows and a form error)."""

    def filtered(self):
        filterset = self.get_filterset(self.get_filterset_class())
        return filterset.form, filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["filter"].form
        context.update(self.list_context(form, context), form=form)
        return context


class FormListView(ListPageMixin, ListView):
    """A list built by one selector from a plain form's cleaned data: the selector
    gets the filled-in fields as keyword arguments."""

    form_class = None
    selector = None  # a staticmethod

    def get_form(self):
        if not hasattr(self, "_form"):
            self._form = self.form_class(self.request.GET or None)
        return self._form

    def filtered(self):
        form = self.get_form()
        if form.is_bound and not form.is_valid():
            return form, []
        chosen = {name: value for name, value in (form.cleaned_data if form.is_bound else {}).items() if value}
        return form, self.selector(**chosen)

    def get_queryset(self):
        return self.filtered()[1]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_form()
        context.update(self.list_context(form, context), form=form)
        return context
