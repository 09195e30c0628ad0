"""Which public records a reader can suggest a correction to, and how the link names one.

A record is named `<app_label>.<model>:<pk>` (e.g. `jurisdictions.facility:12`), so the
link can be built in a template without a query and resolved here with one."""

from django.apps import apps
from django.utils.http import urlencode

from listing.links import fixed_path

CORRECTABLE = (
    "jurisdictions.jurisdiction",
    "jurisdictions.facility",
    "jurisdictions.booking",
    "letters.letter",
    "letters.response",
    "letters.event",
    "laws.legalmeasure",
    "courts.courtdecision",
    "programs.program",
    "programs.condition",
)


def record_reference(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


def suggest_url(obj):
    return fixed_path("corrections:new") + "?" + urlencode({"about": record_reference(obj)})


def find_record(reference):
    """The public record a reference names, or None when it names none."""
    label, _, pk = (reference or "").partition(":")
    if label not in CORRECTABLE or not pk.isdigit() or len(pk) > 18:
        return None
    return apps.get_model(label)._default_manager.filter(pk=int(pk)).first()
