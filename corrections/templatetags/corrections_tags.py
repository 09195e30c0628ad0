from django import template

from ..models import Correction
from ..records import suggest_url

register = template.Library()


@register.filter
def correction_url(record):
    """The "Suggest a correction" link for a public record (no query)."""
    return suggest_url(record)


@register.inclusion_tag("admin/corrections/_new_count.html", takes_context=True)
def new_corrections_notice(context):
    """On the admin index: how many corrections wait for an editor (one query, for staff who may see them)."""
    user = context["request"].user
    if not user.has_perm("corrections.view_correction"):
        return {"count": None}
    return {"count": Correction.objects.unresolved().count()}
