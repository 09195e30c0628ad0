from django import template

from listing.links import record_path

register = template.Library()


@register.simple_tag
def record_url(viewname, name, value):
    """`{% url viewname value %}` for a record page, reversed once per shape
    (`record_path`): a list asks for the same shape on every row."""
    return record_path(viewname, name, value)
