import django_filters
from django.db.models import Exists, OuterRef

from letters.filters import LetterFilter
from letters.models import Demand, Letter
from listing.facets import MultipleValuesWidget, YesNoFilter
from programs.models import depends_on_jail

from .answer import matrices_for, requested_day
from .verdicts import CourtVerdict, LawVerdict


class MatrixFilter(LetterFilter):
    """The letter filters, plus the answer's parts: a letter matches when one of its
    demanded conditions (the one chosen with `condition`, or a jail condition with
    `jail_conditions`) has that verdict on the day the page answers for."""

    jail_conditions = YesNoFilter(method="with_jail_conditions", label="Look only at jail conditions")
    # Several verdicts are OR-ed, like every facet; they are not counted, because
    # each count would need the whole answer for every letter.
    law = django_filters.MultipleChoiceFilter(
        choices=LawVerdict.choices,
        method="by_law",
        label="Law, for a demanded condition",
        widget=MultipleValuesWidget,
    )
    courts = django_filters.MultipleChoiceFilter(
        choices=CourtVerdict.choices,
        method="by_courts",
        label="Courts, for a demanded condition",
        widget=MultipleValuesWidget,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._answered = {}

    def with_jail_conditions(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Demand.objects.filter(depends_on_jail(), letter=OuterRef("pk"))))

    def rows(self, matrix):
        chosen = set(self.form.cleaned_data.get("condition") or [])
        jail_only = self.form.cleaned_data.get("jail_conditions")
        return [
            row
            for row in matrix.rows
            if (not chosen or row.condition in chosen) and (not jail_only or row.condition.depends_on_jail)
        ]

    def letters_where(self, queryset, name, predicate):
        """The letters whose answer satisfies `predicate`; the answer is computed by
        `compliance.answer`, never re-derived here. Answered once per request, for
        every letter, however often the facet counts reapply it with other filters."""
        if name not in self._answered:
            on = requested_day(self.request) if self.request else None
            answers = matrices_for(Letter.objects.filter(pk__in=self.queryset.values("pk")), on)
            self._answered[name] = [m.letter.pk for m in answers if predicate(m)]
        return queryset.filter(pk__in=self._answered[name])

    def by_law(self, queryset, name, values):
        return self.letters_where(queryset, name, lambda m: any(row.law.verdict in values for row in self.rows(m)))

    def by_courts(self, queryset, name, values):
        return self.letters_where(queryset, name, lambda m: any(row.court_verdict in values for row in self.rows(m)))
