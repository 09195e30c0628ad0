"""The OpenAPI 3.1 document at /api/openapi.json, built from the same sources as
/about/api/ (`apidocs`: each list's FilterSet or form, and its export's columns), so
the machine-readable description cannot drift from what the lists accept or return."""

import re

from django import forms

from listing import schema
from listing.facets import MultipleValuesField
from search.selectors import QUERY_MAX_CHARS

from . import apidocs

# Model choices with at most this many values are listed as an enum (programs,
# conditions, batches, published lists); longer ones (jurisdictions) are plain strings.
ENUM_LIMIT = 200
PATH_PARAMETER = re.compile(r"<(\w+)>")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "What was wrong, in words."},
        "fields": {
            "type": "object",
            "description": "For invalid filters: each parameter's messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}


def field_schema(field):
    """The JSON Schema of one query value the form field accepts."""
    if isinstance(field, forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        values = list(field.queryset.order_by(key).values_list(key, flat=True)[: ENUM_LIMIT + 1])
        if len(values) <= ENUM_LIMIT and values:
            return {"type": "string", "enum": [str(value) for value in values]}
        return {"type": "string"}
    if isinstance(field, MultipleValuesField):
        return {"type": "string", "pattern": f"^(?:{field.pattern.pattern})$"}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(value) for value, _ in field.choices if value not in ("", None)]}
    if isinstance(field, forms.NullBooleanField | forms.BooleanField):
        return {"type": "string", "enum": ["true", "false"]}
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    return {"type": "string"}


def query_parameter(name, field):
    schema = field_schema(field)
    multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "description": f"{field.label or name}: {apidocs.describe_field(name, field)}",
        "schema": {"type": "array", "items": schema} if multiple else schema,
    }
    if multiple:
        # ?state=CA&state=IL: each value repeats the name.
        parameter.update(style="form", explode=True)
    return parameter


def format_parameter(formats):
    return {
        "name": "format",
        "in": "query",
        "required": True,
        "description": "Answer as data rather than the HTML page.",
        "schema": {"type": "string", "enum": formats},
    }


def path_parameters(path):
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1} if name == "id" else {"type": "string"},
        }
        for name in PATH_PARAMETER.findall(path)
    ]


def template(path):
    return PATH_PARAMETER.sub(r"{\1}", path)


def error_responses():
    return {
        "400": {
            "description": "An invalid parameter value: JSON when format is json or csv; without a "
            "valid format the request is a page's, and so is its HTML error page.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
                "text/html": {"schema": {"type": "string"}},
            },
        },
        "429": {
            "description": "Too many exports from this address this minute; see Retry-After.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }


def list_operation(endpoint, path):
    # Each field's type is declared beside its column (listing.exports.Column, with
    # nested shapes from listing.schema); every record has every field and no other.
    record = schema.ref(endpoint.export.name)
    parameters = [query_parameter(name, field) for name, field in endpoint.form.fields.items()]
    if endpoint.export.name == "matrix":
        parameters.append(
            {
                "name": "as_of",
                "in": "query",
                "required": False,
                "description": "Answer as of today (else each letter's date).",
                "schema": {"type": "string", "enum": ["today"]},
            }
        )
    return {
        "get": {
            "operationId": f"list_{endpoint.export.name}",
            "summary": endpoint.title,
            "description": endpoint.export.note or endpoint.export.title,
            "parameters": [*path_parameters(path), format_parameter(["json", "csv"]), *parameters],
            "responses": {
                "200": {
                    "description": "Every matching row (no pagination).",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["results"],
                                "properties": {"results": {"type": "array", "items": record}},
                            }
                        },
                        "text/csv": {"schema": {"type": "string"}},
                    },
                },
                **({"404": {"description": "No published list by that slug."}} if "{" in path else {}),
                **error_responses(),
            },
        }
    }


def detail_operation(path, meaning, url_name):
    parameters = [*path_parameters(path), format_parameter(["json"])]
    if path.startswith(("/jurisdictions/", "/letters/")):
        parameters.append(
            {
                "name": "as_of",
                "in": "query",
                "required": False,
                "description": "Answer as of today (else each letter's date).",
                "schema": {"type": "string", "enum": ["today"]},
            }
        )
    name = path.strip("/").split("/")[0]
    return {
        "get": {
            "operationId": f"detail_{name}",
            "summary": meaning,
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "The record.",
                    "content": {"application/json": {"schema": schema.ref(schema.DETAILS[url_name][0])}},
                },
                "404": {"description": "No such record."},
                "400": error_responses()["400"],
            },
        }
    }


def search_operation():
    hit = {
        "type": "object",
        "required": ["kind", "title", "url", "snippet", "rank"],
        "properties": {
            "kind": {"type": "string", "enum": list(apidocs.SEARCH_KINDS), "description": "What the hit is."},
            "title": {"type": "string", "description": "Its title as the results page shows it."},
            "url": {"type": "string", "format": "uri", "description": "Its page on this site."},
            "snippet": {"type": "string", "description": "The matching text around the first hit, as HTML."},
            "rank": {"type": "number", "description": "Relevance; higher is better. Results come best first."},
        },
    }
    return {
        "get": {
            "operationId": "search",
            "summary": "Search letters, responses, events and jurisdictions",
            "description": apidocs.SEARCH_DESCRIPTION,
            "parameters": [
                format_parameter(["json"]),
                {
                    "name": "q",
                    "in": "query",
                    "required": False,
                    "description": f"The words to find (at most {QUERY_MAX_CHARS} characters are used).",
                    "schema": {"type": "string"},
                },
                {
                    "name": "kind",
                    "in": "query",
                    "required": False,
                    "description": "Only hits of these kinds (all kinds when none is given).",
                    "schema": {"type": "array", "items": {"type": "string", "enum": list(apidocs.SEARCH_KINDS)}},
                    "style": "form",
                    "explode": True,
                },
            ],
            "responses": {
                "200": {
                    "description": "The hits, best first; none for an empty query.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["query", "results"],
                                "properties": {
                                    "query": {"type": "string", "description": "The query as used."},
                                    "results": {"type": "array", "items": hit},
                                },
                            }
                        }
                    },
                },
                "400": error_responses()["400"],
                "429": {**error_responses()["429"], "description": "Too many searches from this address."},
            },
        }
    }


def document(origin):
    paths, records = {}, {}
    for endpoint in apidocs.list_endpoints():
        path = template(endpoint.template)
        paths[path] = list_operation(endpoint, path)
        records[endpoint.export.name] = endpoint.export.record_schema()
    for path, meaning, url_name in apidocs.DETAIL_ENDPOINTS:
        paths[template(path)] = detail_operation(path, meaning, url_name)
        name, record = schema.DETAILS[url_name]
        records[name] = record
    paths[apidocs.SEARCH_PATH] = search_operation()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sanctuary Tracker",
            "version": "1",
            "description": "The read-only JSON and CSV API: every list and record page with format=json or csv. "
            f"In words: {origin}/about/api/",
        },
        "servers": [{"url": origin}],
        "paths": paths,
        "components": {"schemas": {"Error": ERROR_SCHEMA, **records}},
    }
