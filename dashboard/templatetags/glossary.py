from django import template
from django.urls import reverse

from dashboard.glossary import BY_ANCHOR, BY_CONDITION

register = template.Library()


@register.simple_tag
def glossary_url(anchor):
    """The address of a glossary term, e.g. {% glossary_url "control" %}; an unknown
    anchor is a mistake in a template, so it fails loudly."""
    return f"{reverse('dashboard:glossary')}#{BY_ANCHOR[anchor].anchor}"


@register.filter
def condition_glossary_url(code):
    """The glossary term of a condition code, or "" for a condition it does not explain."""
    term = BY_CONDITION.get(code)
    return f"{reverse('dashboard:glossary')}#{term.anchor}" if term else ""
