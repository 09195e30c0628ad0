"""What every public list shares: filters kept in the URL, forgiving pagination,
notices for ignored input, and CSV/JSON export of exactly the filtered rows.

Apps supply a filter (a django-filter FilterSet, or a plain form and one selector for
lists that are not one model's rows), and their declared `Export`; nothing here knows
about letters or jurisdictions.
"""

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import urlencode
from django.views.generic import ListView
from django_filters import OrderingFilter
from django_filters.views import FilterView

from .exports import FORMATS, bad_request, detail_json
from .facets import MultipleValuesField, date_label
from .throttle import seconds_to_wait, too_many_requests

NON_FILTER_PARAMS = {"page", "format"}


class JsonDetailMixin:
    """Detail pages answer ?format=json with the record `json_record()` builds from
    `self.object` alone, without the page's context (its answers, change log and side
    panels are for the HTML page); another format is a 400, as on the lists, rather
    than the page in its place. `get_json_queryset()` may read the record for
    its JSON otherwise than the page reads it (None: as the page does)."""

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("format")
        if export_format in (None, "html"):
            return super().get(request, *args, **kwargs)
        # An unknown record is a 404 whatever the format.
        self.object = self.get_object(self.get_json_queryset() if export_format == "json" else None)
        if export_format == "json":
            return detail_json(self.json_record())
        return bad_request(f"Unknown format {export_format!r}; record pages take format=json.")

    def get_json_queryset(self):
        return None


def permalink_pairs(form, params, extra_params=()):
    """The query that names this view: only the parameters set, filters in the form's
    order then the view's own parameters by name, each parameter's values sorted
    and without repeats, so one view always has one address."""
    pairs = []
    for name in [*form.fields, *sorted(extra_params)]:
        for value in sorted({value for value in params.getlist(name) if value}):
            pairs.append((name, value))
    return pairs


def value_label(form, name, raw):
    """What a chip says for one URL value: the choice's or record's name, never its code."""
    field = form.fields[name]
    value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        chosen = value if isinstance(field, forms.ModelMultipleChoiceField) else [value]
        for obj in chosen or []:
            if obj is not None and str(getattr(obj, key)) == raw:
                return field.label_from_instance(obj)
        return raw
    if isinstance(field, MultipleValuesField):
        return date_label(raw)
    if isinstance(field, forms.NullBooleanField):
        return {"true": "Yes", "false": "No", "1": "Yes", "0": "No"}.get(raw.lower(), raw)
    if hasattr(field, "choices"):
        return str(dict(field.choices).get(raw, raw))
    return raw


def active_filters(form, params):
    """(label, value, URL without this value) for every value of every filter the
    user set and that applied: `?state=CA&state=IL` is two chips, each removable."""
    if not form.is_bound or not form.is_valid():
        return []
    pairs = permalink_pairs(form, params)
    chips = []
    for name, raw in pairs:
        if name == "sort":
            continue
        remaining = [pair for pair in pairs if pair != (name, raw)]
        chips.append((form.fields[name].label or name, value_label(form, name, raw), "?" + urlencode(remaining)))
    return chips


def sort_columns(sort_filter, form, pairs):
    """For each sortable column (its URL name): the link that sorts by it (ascending
    first, then the other way) and its `aria-sort` state."""
    if sort_filter is None:
        return {}
    current = next((value for name, value in pairs if name == "sort"), "").split(",")[0]
    filters = [pair for pair in pairs if pair[0] not in ("sort", "page")]
    order = list(form.fields)
    columns = {}
    for param in sort_filter.param_map:
        state = "ascending" if current == param else "descending" if current == f"-{param}" else ""
        target = f"-{param}" if state == "ascending" else param
        # the view's own parameters (as_of) stay after the filters
        query = sorted([*filters, ("sort", target)], key=lambda pair: order.index(pair[0]) if pair[0] in order else 999)
        columns[param] = {"url": "?" + urlencode(query), "aria_sort": state}
    return columns


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
            tidy = self.tidy_query(request.GET)
            if tidy is not None:
                return HttpResponseRedirect(tidy)
            return super().get(request, *args, **kwargs)
        if export_format not in FORMATS:
            return bad_request(f"Unknown format {export_format!r}; use csv or json.")
        wait = seconds_to_wait(request, "export", settings.RATE_LIMIT_EXPORT)
        if wait is not None:
            return too_many_requests(request, wait)
        form, rows = self.filtered()
        if not form.is_valid():
            return bad_request("Invalid filter values.", form.errors)
        limit = self.export.max_rows
        if limit is not None and (count := rows.count()) > limit:
            return bad_request(
                f"This export takes at most {limit:,} {self.export.row_name} at a time and these filters select "
                f"{count:,}: narrow them (by state, program or year, for example) and export each part."
            )
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

    def tidy_query(self, params):
        """A submitted filter form sends every field, set or not; answer an address
        with empty or repeated values by redirecting to the same view's tidy
        permalink (unknown parameters kept, so their notice still shows)."""
        # lists(), not getlist(): looking at every parameter here is not the page reading
        # it (revisions.middleware caches only pages that read all their parameters).
        given = [values for _, values in params.lists()]
        values = [value for values_of_one in given for value in values_of_one]
        repeated = any(len(values_of_one) != len(set(values_of_one)) for values_of_one in given)
        if all(values) and not repeated:
            return None
        form = self.filtered_form()
        known = set(form.fields) | NON_FILTER_PARAMS | self.extra_params
        pairs = permalink_pairs(form, params, [*sorted(self.extra_params), "page"])
        pairs += [(name, value) for name in sorted(set(params) - known) for value in params.getlist(name) if value]
        return "?" + urlencode(pairs) if pairs else self.request.path

    def filtered_form(self):
        """The bound filter form, without running any query."""
        raise NotImplementedError

    def list_context(self, form, context, facets=None, sort_filter=None):
        params = self.request.GET
        unknown = sorted(set(params) - set(form.fields) - NON_FILTER_PARAMS - self.extra_params)
        if unknown:
            self.notices.append(
                "Ignored unknown parameter" + ("s" if len(unknown) > 1 else "") + ": " + ", ".join(unknown) + "."
            )
        pairs = permalink_pairs(form, params, self.extra_params)
        facets = facets or {}
        return {
            "notices": self.notices,
            "active_filters": active_filters(form, params),
            "query_without_page": urlencode(pairs),
            "permalink": "?" + urlencode(pairs) if pairs else self.request.path,
            "filter_errors": form.is_bound and not form.is_valid(),
            "export_limit": self.export.max_rows if self.export else None,
            "total_count": context["paginator"].count if context.get("paginator") else len(context["object_list"]),
            "filter_fields": [(bound, facets.get(bound.name)) for bound in form if bound.name != "sort"],
            "facets_by_name": facets,
            "sort_field": form["sort"] if "sort" in form.fields else None,
            "sort_columns": sort_columns(sort_filter, form, pairs),
            "active_filter_count": len({name for name, _ in pairs if name not in ("sort", *self.extra_params)}),
        }


class FilteredListView(ListPageMixin, FilterView):
    """A list of one model's rows filtered by a django-filter FilterSet (strict: bad
    values give no rows and a form error)."""

    def get_queryset(self):
        """The rows the FilterSet names before any filter (`FacetedFilterSet.list_rows`):
        the rows its stored counts count, too. A view over other rows says so here."""
        return self.filterset_class.list_rows()

    def filtered(self):
        filterset = self.get_filterset(self.get_filterset_class())
        return filterset.form, filterset.qs

    def filtered_form(self):
        return self.get_filterset(self.get_filterset_class()).form

    def get_paginator(self, queryset, per_page, **kwargs):
        """With nothing chosen, the paginator takes the rows' number from the counts
        stored on write (`StoredCountsMixin.stored_row_count`, read with the facets'):
        no COUNT over every letter (2-4 ms on PostgreSQL at national scale; issue 15).
        Like the stored facet counts it assumes that the view lists its FilterSet's
        `list_rows()`, and it is kept true as they are (`dashboard.stored`): a count that
        missed a write would also page the rows wrongly (the last ones unreachable, or
        empty pages at the end), not only show a wrong number."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        stored_row_count = getattr(self.filterset, "stored_row_count", None)
        if stored_row_count is not None and (count := stored_row_count()) is not None:
            paginator.count = count  # a cached_property: once set, it is not counted
        return paginator

    def paginate_queryset(self, queryset, page_size):
        """Pick the page's rows by their ids alone, then read those rows whole, from
        `get_queryset()` (every column and annotation the page shows, none of the
        filters). Sorted whole, the filtered rows carried all of that through the sort:
        SQLite computed the status of 12,600 letters and sorted their full rows for a
        page of 25 (36 ms at national scale), and under the matrix's law and courts
        filters the filters' subqueries plus the page's joins were more tables than
        PostgreSQL reorders (join_collapse_limit, 80-170 ms; issue 15). The ids are a
        subquery of the one query that reads the page: the count of queries is the same.

        The page's rows are sorted again as the filtered rows were, so a sort must be one
        `get_queryset()` can do (not by an annotation only a filter adds), along to-one
        relations (the page's query has no DISTINCT); every list's sort ends with the
        primary key, so rows of equal keys cannot change places between the two."""
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values("pk"), page_size)
        rows = self.get_queryset().filter(pk__in=ids)
        if queryset.query.order_by or not queryset.query.default_ordering:
            rows = rows.order_by(*queryset.query.order_by)  # else the one `get_queryset()` gives
        page.object_list = rows
        return paginator, page, rows, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        facets = filterset.facets() if hasattr(filterset, "facets") else {}
        sort_filter = next((f for f in filterset.filters.values() if isinstance(f, OrderingFilter)), None)
        context.update(self.list_context(filterset.form, context, facets, sort_filter), form=filterset.form)
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

    def filtered_form(self):
        return self.get_form()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_form()
        facets = form.facets() if hasattr(form, "facets") else {}
        context.update(self.list_context(form, context, facets), form=form)
        return context
