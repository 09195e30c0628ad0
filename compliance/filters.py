import django_filters

from letters.filters import LetterFilter
from letters.models import Letter

from .answer import matrices, matrix_queryset
from .verdicts import CourtVerdict, LawVerdict


def letters_where(queryset, predicate):
    """The letters of `queryset` whose answer (as of each letter's date) satisfies
    `predicate`; the answer is computed by `compliance.answer`, never re-derived."""
    answers = matrices(matrix_queryset(Letter.objects.filter(pk__in=queryset.values("pk"))))
    return queryset.filter(pk__in=[m.letter.pk for m in answers if predicate(m)])


class MatrixFilter(LetterFilter):
    law = django_filters.ChoiceFilter(
        choices=LawVerdict.choices, method="by_law", label="Law on the letter's date, for a demanded condition"
    )
    courts = django_filters.ChoiceFilter(
        choices=CourtVerdict.choices, method="by_courts", label="Courts on the letter's date, for a demanded condition"
    )

    def by_law(self, queryset, name, value):
        return letters_where(queryset, lambda matrix: value in matrix.law_verdicts)

    def by_courts(self, queryset, name, value):
        return letters_where(queryset, lambda matrix: value in matrix.court_verdicts)
