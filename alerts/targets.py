"""What a reader can follow, and how the follow link names it."""

from django.urls import reverse

from jurisdictions.models import Jurisdiction
from programs.models import Condition

# kind in the URL -> (model, field the URL carries)
FOLLOWABLE = {"jurisdiction": (Jurisdiction, "slug"), "condition": (Condition, "code")}


def find_followable(kind, key):
    if kind not in FOLLOWABLE:
        return None
    model, field = FOLLOWABLE[kind]
    return model.objects.filter(**{field: key}).first()


def follow_url(obj):
    for kind, (model, field) in FOLLOWABLE.items():
        if isinstance(obj, model):
            return reverse("alerts:follow", kwargs={"kind": kind, "key": getattr(obj, field)})
    raise ValueError(f"{obj!r} cannot be followed")
