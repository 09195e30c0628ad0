from django import template

from jurisdictions.control import ControlStatus

register = template.Library()


@register.filter
def control_label(status):
    """The label of a ControlStatus value, for rows that carry only the status."""
    try:
        return ControlStatus(status).label
    except ValueError:
        return ControlStatus.UNKNOWN.label
