from django import template

from letters.models import LetterStatus

register = template.Library()


@register.filter
def letter_status_label(status):
    return LetterStatus(status).label if status in LetterStatus.values else ""
