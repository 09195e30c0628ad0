from django.db.models import Exists, OuterRef, Q

from letters.filters import LetterFilter
from letters.models import Demand, Letter
from listing.facets import ChoiceFacet, YesNoFilter, about, add_counts, grouped_count
from programs.models import Condition, depends_on_jail

from .answer import matrices_for, matrix_queryset, requested_day
from .models import LetterFact, StoredAnswer
from .verdicts import CourtVerdict, LawVerdict

# Answering a letter for today takes about 1 ms at national scale: 5,000 in about 5 s.
MAX_ANSWERED_FOR_TODAY = 5000


class VerdictFacet(ChoiceFacet):
    """One part's verdicts (`law`, `courts`), OR-ed like every facet, and counted by
    the matrix filter, which knows the day answered for and the rows chosen."""

    def count(self, queryset):
        return self.parent.count_verdicts(queryset, self.field_name)


class MatrixFilter(LetterFilter):
    """The letter filters, plus the answer's parts: a letter matches when one of its
    demanded conditions (the one chosen with `condition`, or a jail condition with
    `jail_conditions`) has that verdict on the day the page answers for."""

    jail_conditions = YesNoFilter(method="with_jail_conditions", label="Look only at jail conditions")
    law = VerdictFacet(choices=LawVerdict.choices, method="by_law", label="Law, for a demanded condition")
    courts = VerdictFacet(choices=CourtVerdict.choices, method="by_courts", label="Courts, for a demanded condition")

    stored_as = "matrix"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._computed = None

    @classmethod
    def list_rows(cls, day=None):
        """Every letter, answered for `day` (None: each on its own date, as stored)."""
        return matrix_queryset(Letter.objects.all(), day)

    def is_unfiltered(self):
        """Nothing chosen, on each letter's own date: `?as_of=today` counts otherwise."""
        return self.day() is None and super().is_unfiltered()

    @property
    def form(self):
        """The filter form, with an error when law or courts are filtered for today
        over more letters than can be answered in one request (`too_many_for_today`)."""
        form = super().form
        if self.is_bound and not hasattr(self, "_today_checked"):
            self._today_checked = True
            if form.is_valid() and (error := self.too_many_for_today()):
                form.add_error(None, error)
        return form

    def facet_counts(self, name):
        """No counts while law or courts are filtered for today: those letters' verdicts
        are answered only among the letters the other filters let through, and a facet's
        count reaches beyond them (the letters its own choice leaves out); law and courts
        themselves are never counted for today (`count_verdicts`)."""
        if self.day() is not None and (self.chosen("law") or self.chosen("courts")):
            return None
        return super().facet_counts(name)

    def count_facet(self, name):
        """The condition facet's counts, while law or courts are filtered, by
        `count_conditions`: those filters read the chosen conditions' verdicts, and each
        condition's count must read its own."""
        if name == "condition" and (self.chosen("law") or self.chosen("courts")):
            return self.named_counts(name, self.count_conditions(self.queryset_without("condition", "law", "courts")))
        return super().count_facet(name)

    def too_many_for_today(self):
        """Filtering law or courts for today answers every letter the other filters let
        through, in full (stored answers are for each letter's own date): beyond
        MAX_ANSWERED_FOR_TODAY that would outlast the request, so the form asks for
        narrower filters instead."""
        if self.day() is None or not (self.chosen("law") or self.chosen("courts")):
            return None
        count = self.queryset_without("law", "courts").count()
        if count <= MAX_ANSWERED_FOR_TODAY:
            return None
        return (
            f"Law and courts can be filtered for today over at most {MAX_ANSWERED_FOR_TODAY:,} letters at a time; "
            f"the other filters select {count:,}. Narrow them (by state, program or year, for example), "
            "or filter on each letter's own date (without “as of today”)."
        )

    def with_jail_conditions(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Demand.objects.filter(depends_on_jail(), letter=OuterRef("pk"))))

    def rows(self, matrix):
        return [row for row in matrix.rows if self.is_chosen_row(row.condition)]

    def is_chosen_row(self, condition, every_condition=False):
        """Is `condition` one of the rows the page looks at: one of those chosen (none
        chosen, or `every_condition`: any), and a jail condition when only those are
        asked for?"""
        chosen = None if every_condition else self.chosen_condition_ids()
        if chosen is not None and condition.pk not in chosen:
            return False
        return not self.chosen("jail_conditions") or condition.depends_on_jail

    def chosen_condition_ids(self):
        """The chosen conditions' ids, as a set read once; None when none is chosen."""
        if "_chosen_condition_ids" not in self.__dict__:
            chosen = self.chosen("condition")
            self._chosen_condition_ids = {condition.pk for condition in chosen} if chosen else None
        return self._chosen_condition_ids

    def stored_rows(self, every_condition=False):
        """The same choice of rows as `is_chosen_row`, over the stored answers. The jail
        conditions as a subquery of their ids, not a join: joined, SQLite reads every
        answer of a jail condition for the one verdict asked (100,000 rows at national
        scale) instead of the verdict's index."""
        chosen = None if every_condition else self.chosen("condition")
        rows = Q(condition__in=chosen) if chosen else Q()
        if self.chosen("jail_conditions"):
            rows &= Q(condition__in=Condition.objects.filter(depends_on_jail(path="")))
        return rows

    def day(self):
        return requested_day(self.request) if self.request else None

    def computed_answers(self):
        """{letter pk: [(condition, {"law": verdict, "courts": verdict}) for each demanded
        condition]} for the letters whose answer is not read from storage: every letter
        for `?as_of=today`, and undated letters whose stored answer has expired.
        `compliance.answer` computes them once per request, however often filters and
        counts reapply them (`computed_verdicts`)."""
        if self._computed is None:
            on = self.day()
            if on is None:
                # The few expired answers' letters first (their index), then which of them
                # the page's letters are: the other way round, SQLite reads every
                # letter's answers for one whose answer expired.
                expired = self.queryset.filter(pk__in=StoredAnswer.objects.stale().values("letter"))
                live = set(expired.order_by().values_list("pk", flat=True))
            else:  # only the letters the other filters let through (the form caps them)
                live = self.queryset_without("law", "courts").values("pk")
            self._computed = {}
            if live:
                for matrix in matrices_for(Letter.objects.filter(pk__in=live), on):
                    self._computed[matrix.letter.pk] = [
                        (row.condition, {"law": row.law.verdict, "courts": row.court_verdict}) for row in matrix.rows
                    ]
        return self._computed

    def computed_verdicts(self, part):
        """{letter pk: the verdicts for `part` of its chosen rows (`is_chosen_row`)} for
        the letters of `computed_answers`."""
        return {
            pk: {verdicts[part] for condition, verdicts in rows if self.is_chosen_row(condition)}
            for pk, rows in self.computed_answers().items()
        }

    def letters_where(self, queryset, part, values):
        """The letters whose answer has one of `values` for `part` ("law" or "courts").
        On each letter's own date that is an indexed read of what `compliance.stored`
        stored from `compliance.answer`; the rest is `computed_verdicts`. Never
        re-derived."""
        if self.day() is None:
            # The letters of the matching answers, as a list the database builds once
            # from the verdict's index: as a correlated EXISTS, SQLite asks it again for
            # each of the 50,000 letters (about 10x slower there; PostgreSQL plans both
            # as one semi-join).
            stored = StoredAnswer.objects.current().filter(self.stored_rows(), **{f"{part}__in": values})
            matches = Q(pk__in=stored.values("letter"))
        else:
            matches = Q(pk__in=[])
        computed = [pk for pk, verdicts in self.computed_verdicts(part).items() if verdicts & set(values)]
        return queryset.filter(matches | Q(pk__in=computed))

    def by_law(self, queryset, name, values):
        return self.letters_where(queryset, "law", values)

    def by_courts(self, queryset, name, values):
        return self.letters_where(queryset, "courts", values)

    def count_verdicts(self, queryset, part):
        """{verdict: letters} among `queryset` whose chosen rows have that verdict for
        `part`. With some conditions chosen, one grouped query over their stored
        answers; with every condition, two: the dated letters' facts (`LetterFact`, a
        plain count) and the undated letters' current answers, which no dated letter
        is among. Then the letters answered in `computed_verdicts` (one more query when
        there are any). Not counted for `?as_of=today` (None: the options are shown
        without counts), where every count would need the whole answer computed for
        every letter."""
        if self.day() is not None:
            return None
        if self.chosen("condition") or self.chosen("jail_conditions"):  # their answers
            answers = StoredAnswer.objects.current().filter(self.stored_rows())
            counts = grouped_count(part, distinct="letter")(about(answers, "letter", queryset))
        else:  # every condition: dated letters' facts (a plain count), undated letters' answers
            dated = about(LetterFact.objects.filter(kind=part), "letter", queryset)
            # The few undated answers by their ids first: grouped in one step, SQLite reads
            # the whole verdict index in order instead (its statistics cannot tell that
            # nearly every `valid_until` is empty).
            undated_answers = StoredAnswer.objects.current_undated().values("pk")
            undated = about(StoredAnswer.objects.filter(pk__in=undated_answers), "letter", queryset)
            counts = add_counts(grouped_count("value")(dated), grouped_count(part, distinct="letter")(undated))
        computed = self.computed_verdicts(part)
        for pk in self.computed_among(queryset):
            for verdict in computed[pk]:
                counts[verdict] = counts.get(verdict, 0) + 1
        return counts

    def count_conditions(self, queryset):
        """{condition pk: letters} among `queryset` (every filter but the condition, law
        and courts) that would be shown with that condition chosen instead: letters whose
        answer for it has a chosen law and courts verdict. The law and courts filters
        look at the chosen conditions' rows, so a count under them (the default count)
        would be of the wrong row's verdicts. One grouped query over the stored answers,
        then the letters of `computed_answers` (one more query when there are any)."""
        verdicts = {part: set(values) for part in ("law", "courts") if (values := self.chosen(part))}
        answers = StoredAnswer.objects.current().filter(
            self.stored_rows(every_condition=True), **{f"{part}__in": values for part, values in verdicts.items()}
        )
        # The letters among the few with a matching answer: asked the other way round,
        # SQLite first lists every letter the other filters let through (68 ms at
        # national scale against 9).
        letters = queryset.filter(pk__in=answers.values("letter"))
        counts = grouped_count("condition", distinct="letter")(about(answers, "letter", letters))
        computed = self.computed_answers()
        for pk in self.computed_among(queryset):
            for condition, answer in computed[pk]:
                if self.is_chosen_row(condition, every_condition=True) and all(
                    answer[part] in values for part, values in verdicts.items()
                ):
                    key = str(condition.pk)
                    counts[key] = counts.get(key, 0) + 1
        return counts

    def computed_among(self, queryset):
        """The letters of `computed_answers` among `queryset`: one query when there are any."""
        computed = self.computed_answers()
        return queryset.filter(pk__in=list(computed)).values_list("pk", flat=True) if computed else []
