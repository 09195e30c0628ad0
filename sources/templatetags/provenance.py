"""Showing provenance: research notes as readable text, and sources without repeats."""

import re

from django import template
from django.utils.html import urlize
from django.utils.safestring import mark_safe

register = template.Library()

# A sentence that talks about the research team's own files ("... in responses.csv.")
# is bookkeeping for the data set, not a fact for readers.
INTERNAL_FILE_SENTENCE = re.compile(r"[^.!?]*\b[\w-]+\.(?:csv|xlsx|tsv)\b[^.!?]*[.!?]?\s*", re.IGNORECASE)


@register.filter
def public_note(text):
    """Research notes without sentences about the data set's internal files."""
    return INTERNAL_FILE_SENTENCE.sub("", text or "").strip()


@register.filter
def research_notes(text):
    """Notes as HTML: escaped, internal file names left out, URLs made links that search
    engines do not follow (they are research leads, not endorsements)."""
    linked = urlize(public_note(text), nofollow=True, autoescape=True)
    # urlize gives rel="nofollow"; external pages also get noopener.
    return mark_safe(linked.replace('rel="nofollow"', 'rel="nofollow noopener external"'))


@register.filter
def together_with(sources, more):
    """Both records' sources, each URL once (a booking often cites its facility's page)."""
    seen = {}
    for source in [*sources, *more]:
        seen.setdefault(source.url, source)
    return list(seen.values())
