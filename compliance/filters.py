import django_filters
from django.db.models import Exists, OuterRef

from letters.filters import LetterFilter
from letters.models import Demand, Letter
from programs.models import depends_on_jail

from .answer import matrices_for, requested_day
from .verdicts import CourtVerdict, LawVerdict


class MatrixFilter(LetterFilter):
    """The letter filters, plus the answer's parts: a letter matches when one of its
    demanded conditions (the one chosen with `condition`, or a jail condition with
    `jail_conditions`) has that verdict on the day the page answers for."""

    jail_conditions = django_filters.BooleanFilter(method="with_jail_conditions", label="Look only at jail conditions")
    law = django_filters.ChoiceFilter(
        choices=LawVerdict.choices, method="by_law", label="Law, for a demanded condition"
    )
    courts = django_filters.ChoiceFilter(
        choices=CourtVerdict.choices, method="by_courts", label="Courts, for a demanded condition"
    )

    def with_jail_conditions(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Demand.objects.filter(depends_on_jail(), letter=OuterRef("pk"))))

    def rows(self, matrix):
        chosen = self.form.cleaned_data.get("condition")
        jail_only = self.form.cleaned_data.get("jail_conditions")
        return [
            row
            for row in matrix.rows
            if (chosen is None or row.condition == chosen) and (not jail_only or row.condition.depends_on_jail)
        ]

    def letters_where(self, queryset, predicate):
        """The letters whose answer satisfies `predicate`; the answer is computed by
        `compliance.answer`, never re-derived here."""
        on = requested_day(self.request) if self.request else None
        answers = matrices_for(Letter.objects.filter(pk__in=queryset.values("pk")), on)
        return queryset.filter(pk__in=[m.letter.pk for m in answers if predicate(m)])

    def by_law(self, queryset, name, value):
        return self.letters_where(queryset, lambda m: any(row.law.verdict == value for row in self.rows(m)))

    def by_courts(self, queryset, name, value):
        return self.letters_where(queryset, lambda m: any(row.court_verdict == value for row in self.rows(m)))
