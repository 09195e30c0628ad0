import django_filters
from django.db.models import Exists, OuterRef, Q

from letters.filters import LetterFilter
from letters.models import Demand, Letter
from listing.facets import MultipleValuesWidget, YesNoFilter
from programs.models import depends_on_jail

from .answer import matrices_for, requested_day
from .models import StoredAnswer
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

    def stored_rows(self):
        """The same choice of rows as `rows`, over the stored answers."""
        chosen = self.form.cleaned_data.get("condition")
        rows = Q(condition__in=chosen) if chosen else Q()
        if self.form.cleaned_data.get("jail_conditions"):
            rows &= depends_on_jail()
        return rows

    def letters_where(self, queryset, part, values):
        """The letters whose answer has one of `values` for `part` ("law" or "courts").
        On each letter's own date that is an indexed read of what `compliance.stored`
        stored from `compliance.answer`; for `?as_of=today`, and for undated letters
        whose stored answer has expired, `compliance.answer` computes it here, once per
        request however often the facet counts reapply it. Never re-derived."""
        on = requested_day(self.request) if self.request else None
        if on is None:
            stored = StoredAnswer.objects.current().filter(
                self.stored_rows(), letter=OuterRef("pk"), **{f"{part}__in": values}
            )
            matches = Q(Exists(stored))
        else:
            matches = Q(pk__in=[])
        key = (part, tuple(sorted(values)))
        if key not in self._answered:
            if on is None:
                expired = StoredAnswer.objects.stale().filter(letter__in=self.queryset.values("pk"))
                live = set(expired.order_by().values_list("letter_id", flat=True))
            else:
                live = self.queryset.values("pk")
            computed = []
            if live:
                answers = matrices_for(Letter.objects.filter(pk__in=live), on)
                computed = [m.letter.pk for m in answers if any(verdict(row, part) in values for row in self.rows(m))]
            self._answered[key] = computed
        return queryset.filter(matches | Q(pk__in=self._answered[key]))

    def by_law(self, queryset, name, values):
        return self.letters_where(queryset, "law", values)

    def by_courts(self, queryset, name, values):
        return self.letters_where(queryset, "courts", values)


def verdict(row, part):
    return row.law.verdict if part == "law" else row.court_verdict
