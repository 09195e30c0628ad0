from django import template

from ..targets import follow_url as _follow_url

register = template.Library()


@register.filter
def follow_url(followed):
    """The "Follow by email" link of a jurisdiction or condition (no query)."""
    return _follow_url(followed)
