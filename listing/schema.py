"""JSON Schema for the exports' records, declared beside each record builder and read
by the OpenAPI document (dashboard.openapi).

Objects declared with `record` list every field as required and allow no others, so
the schemathesis test (which validates real responses against the document) fails
when a builder adds, drops or retypes a field without its declaration."""

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
URI = {"type": "string", "format": "uri"}

# A column's Table Schema type (the data package) -> the JSON Schema of its JSON value.
TABLE_TYPES = {"string": STRING, "integer": INTEGER, "number": NUMBER, "boolean": BOOLEAN, "date": DATE}


def nullable(schema):
    """The schema, or null (a value no source gives)."""
    return {"anyOf": [schema, {"type": "null"}]}


def array(items):
    return {"type": "array", "items": items}


def record(description="", /, **fields):
    """An object with exactly these fields (name=schema, each required); positional
    only, `description` describes the object, so a field may be called description."""
    schema = {
        "type": "object",
        "required": list(fields),
        "properties": fields,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def codes(choices_pairs):
    """A coded value: one of the codes of (code, label) pairs, or empty/null where none
    applies."""
    return {"type": ["string", "null"], "enum": [*(code for code, _ in choices_pairs), "", None]}


def code(choices):
    """A coded value of a model's TextChoices class."""
    return codes(choices.choices)


def coded(name, choices=None):
    """{name: its code, name_label: the code in words}, as `listing.exports.coded`
    names them; codes kept in a table (conditions) have no fixed list."""
    return {name: code(choices) if choices is not None else STRING, f"{name}_label": STRING}


def described(schema, description):
    return {**schema, "description": description} if description else schema


SOURCES = array(URI)
OPERATOR = record(name=STRING, slug=STRING)
MAYBE_STRING = nullable(STRING)
MAYBE_DATE = nullable(DATE)
MAYBE_INTEGER = nullable(INTEGER)


def ref(name):
    """Another declared record, by its name in the OpenAPI document's components: the
    export of that name (a list's record), or a record page's (`DETAILS`)."""
    return {"$ref": f"#/components/schemas/{name}"}


# Record pages' JSON (?format=json): {URL name: (component name, JSON Schema)}, declared
# by each app beside the page's record builder, read by the OpenAPI document.
DETAILS = {}


def register_detail(url_name, name, schema):
    DETAILS[url_name] = (name, schema)
    return schema
