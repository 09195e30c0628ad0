"""What every public list shares: django-filter forms kept in the URL, forgiving
pagination, notices for ignored input, and CSV/JSON export of exactly the filtered rows.

Apps supply the FilterSet, the queryset and two row builders; nothing here knows
about letters or jurisdictions.
"""

import csv
import json
from operator import itemgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.utils.http import urlencode
from django_filters.views import FilterView

EXPORT_FORMATS = {"csv", "json"}
NON_FILTER_PARAMS = {"page", "format"}
CSV_ROWS_PER_CHUNK = 500


class _Echo:
    def write(self, value):
        return value


def stream_csv(header, rows, filename):
    writer = csv.writer(_Echo())
    columns = itemgetter(*header)

    def lines():
        # Hand the server a few hundred rows at a time, not one small string per row.
        buffer = [writer.writerow(header)]
        for row in rows:
            buffer.append(writer.writerow(columns(row)))
            if len(buffer) >= CSV_ROWS_PER_CHUNK:
                yield "".join(buffer)
                buffer = []
        yield "".join(buffer)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def stream_json(records):
    encoder = DjangoJSONEncoder()

    def chunks():
        yield '{"results": ['
        for index, record in enumerate(records):
            yield ("," if index else "") + encoder.encode(record)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json")


def detail_json(record):
    return JsonResponse(record, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})


class JsonDetailMixin:
    """Detail pages answer ?format=json with the record `json_record(context)` builds."""

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") == "json":
            return detail_json(self.json_record(context))
        return super().render_to_response(context, **kwargs)


def bad_request(message, errors=None):
    body = {"error": message}
    if errors:
        body["fields"] = {name: [str(e) for e in errs] for name, errs in errors.items()}
    return HttpResponseBadRequest(json.dumps(body), content_type="application/json")


def active_filters(filterset, params):
    """(label, value, URL without this filter) for each filter the user set and that applied."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    chips = []
    for name, field in filterset.form.fields.items():
        raw = params.get(name)
        if not raw or name == "sort":
            continue
        value = filterset.form.cleaned_data.get(name)
        display = dict(field.choices).get(raw, raw) if hasattr(field, "choices") else raw
        if hasattr(value, "pk"):
            display = str(value)
        remaining = [(key, v) for key, v in params.lists() for v in v if key not in (name, "page")]
        chips.append((field.label or name, display, "?" + urlencode(remaining)))
    return chips


class FilteredListView(FilterView):
    """A FilterView whose URL is a permalink: ?format=csv|json exports every filtered
    row (not just the page); bad values show form errors, never a 500."""

    paginate_by = 25
    export_name = "export"

    def csv_header(self):
        raise NotImplementedError

    def export_records(self, queryset):
        """One JSON-ready dict per object, streamed in the list's order."""
        raise NotImplementedError

    def csv_rows(self, record):
        """Flat CSV rows for one record (a letter gives one row per condition)."""
        return [record]

    def get(self, request, *args, **kwargs):
        export = request.GET.get("format")
        if export is None or export == "html":
            return super().get(request, *args, **kwargs)
        if export not in EXPORT_FORMATS:
            return bad_request(f"Unknown format {export!r}; use csv or json.")
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            return bad_request("Invalid filter values.", filterset.errors)
        records = self.export_records(filterset.qs)
        if export == "csv":
            rows = (row for record in records for row in self.csv_rows(record))
            return stream_csv(self.csv_header(), rows, self.export_name)
        return stream_json(records)

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        params = self.request.GET
        unknown = sorted(set(params) - set(filterset.filters) - NON_FILTER_PARAMS)
        if unknown:
            self.notices.append(
                "Ignored unknown parameter" + ("s" if len(unknown) > 1 else "") + ": " + ", ".join(unknown) + "."
            )
        query = params.copy()
        query.pop("page", None)
        query.pop("format", None)
        context.update(
            notices=self.notices,
            active_filters=active_filters(filterset, query),
            query_without_page=query.urlencode(),
            filter_errors=filterset.is_bound and not filterset.is_valid(),
            total_count=context["paginator"].count if context.get("paginator") else len(context["object_list"]),
        )
        return context
