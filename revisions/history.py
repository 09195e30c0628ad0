"""The public side of django-simple-history: last updated date and a short change log,
in words a reader understands ("Deadline changed from August 18, 2017 to September 1,
2017"). Editors' names stay private; the admin shows them."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.dateformat import format as format_date
from django.utils.text import capfirst

# The change reason load_seed records, so a reader can tell research data loaded in bulk
# from an editor's correction.
SEED_REASON = "Loaded from the research data set"
# Text longer than this is said to be "edited", not quoted before and after.
QUOTED_TEXT_LENGTH = 80


@dataclass
class Change:
    date: object
    action: str
    fields: list = field(default_factory=list)
    details: list = field(default_factory=list)
    reason: str = ""


def change_log(obj, *, limit=5):
    """The latest `limit` changes to `obj`, newest first, each said in words: what was
    added or deleted, and for a change each field's old and new value (names of related
    records looked up in one query per kind of relation, however many changes)."""
    records = list(obj.history.all()[: limit + 1])
    noun = capfirst(obj._meta.verbose_name)
    deltas = []
    for index, newer in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None and newer.history_type == "~":
            changes = [change for change in newer.diff_against(older).changes if not is_internal(obj, change.field)]
        deltas.append((newer, changes))
    names = related_names(obj, [change for _, changes in deltas for change in changes])
    log = []
    for record, changes in deltas:
        reason = record.history_change_reason or ""
        if record.history_type == "+":
            action = f"{noun} added"
        elif record.history_type == "-":
            action = f"{noun} deleted"
        else:
            action = f"{noun} changed"
        fields = [verbose(obj, change.field) for change in changes]
        details = [describe(obj, change, names) for change in changes]
        log.append(Change(record.history_date, action, fields, details, reason))
    return log


def is_internal(obj, name):
    """Extracted PDF text and the like change with another field; not worth a line."""
    return name in getattr(obj, "change_log_exclude", ()) or name == "document_text"


def verbose(obj, name):
    return str(obj._meta.get_field(name).verbose_name)


def related_names(obj, changes):
    """{(model, pk): str} for every related record a change points to."""
    wanted = {}
    for change in changes:
        model_field = obj._meta.get_field(change.field)
        if model_field.is_relation and model_field.many_to_one:
            wanted.setdefault(model_field.related_model, set()).update(
                pk for pk in (change.old, change.new) if pk is not None
            )
    return {
        (model, pk): str(record) for model, pks in wanted.items() for pk, record in model.objects.in_bulk(pks).items()
    }


def describe(obj, change, names):
    model_field = obj._meta.get_field(change.field)
    name = capfirst(verbose(obj, change.field))

    def shown(value):
        if value in (None, ""):
            return "(none)"
        if model_field.is_relation:
            return names.get((model_field.related_model, value), "a record since deleted")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return "yes" if value else "no"
        if isinstance(value, datetime.date):
            return format_date(value, "F j, Y")
        return f"“{value}”"

    if (
        isinstance(model_field, models.TextField | models.FileField)
        or (isinstance(change.old, str) and len(change.old) > QUOTED_TEXT_LENGTH)
        or (isinstance(change.new, str) and len(change.new) > QUOTED_TEXT_LENGTH)
    ):
        return f"{name} edited"
    if change.old in (None, ""):
        return f"{name} set to {shown(change.new)}"
    return f"{name} changed from {shown(change.old)} to {shown(change.new)}"
