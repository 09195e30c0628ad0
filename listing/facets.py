"""Facets, as on Datasette: a filter that takes a choice takes several (`?state=CA&state=IL`
means California *or* Illinois; different filters still combine with *and*), and each
value shows how many rows it would bring under the other filters.

Each facet is counted by one grouped query over the rows the *other* filters let
through (its own choice left out, so the counts say what ticking one more value adds),
so a page runs one query per facet however many rows there are.

Nothing here knows about letters or jurisdictions: apps give a facet its `count`
function when grouping by the filter's own field is not the answer.
"""

import copy
import re
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import Count, Exists, F, Q
from django.forms.models import ModelChoiceIterator

from .forms import LIST_FORM_RENDERER


class MultipleValuesWidget(forms.CheckboxSelectMultiple):
    """Every value of a repeated parameter; empty values (`state=` from an old
    permalink or a cleared picker) are no choice rather than an invalid one."""

    def value_from_datadict(self, data, files, name):
        return present_values(super().value_from_datadict(data, files, name))


def present_values(values):
    """The non-empty values; a plain dict (the home page's figures) gives one string."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [value for value in values if value]


def grouped_count(path, distinct="pk"):
    """The default count: rows per value of `path`, in one GROUP BY query."""

    def count(queryset):
        rows = queryset.order_by().values_list(path).annotate(n=counter(queryset, path, distinct))
        return {str(value): n for value, n in rows if value is not None}

    return count


def counter(queryset, path, distinct):
    """COUNT(DISTINCT `distinct`), or a plain COUNT(*) where no row can repeat: the
    DISTINCT makes the database sort every row (3x the time over 50,000 letters)."""
    if distinct == "pk" and not repeats_rows(queryset, path):
        return Count("*")
    return Count(distinct, distinct=True)


def repeats_rows(queryset, path):
    """Can a row of `queryset` appear twice among its rows grouped by `path`? Only if
    a filter asked for DISTINCT (the facets over to-many paths do), or `path` goes
    through a to-many relation; a name that is not a field (an annotation) may."""
    if queryset.query.distinct:
        return True
    if path in queryset.query.annotations:
        # An annotation (a CASE, a subquery) is one value per row: only a join to many
        # rows, by a filter or by the annotation itself, can repeat a row.
        return any(joins_many(join) for join in queryset.query.alias_map.values())
    model = queryset.model
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def joins_many(join):
    """Does this entry of a query's FROM clause join each row to several?"""
    relation = getattr(join, "join_field", None)  # None for the base table
    return relation is not None and (relation.one_to_many or relation.many_to_many)


def chooses_any(data, names):
    """Does `data` (a QueryDict, or a plain dict) give a value to any of `names`?"""
    values = data.getlist if hasattr(data, "getlist") else data.get
    return any(present_values(values(name)) for name in names)


def count_together(queryset, paths):
    """{name: {value: rows}} for several paths ({name: path}, none repeating a row) in
    one GROUP BY over all of them: each name's counts are the sums over the others'
    values. One scan of the rows instead of one per facet (issue 15)."""
    rows = queryset.order_by().values_list(*paths.values()).annotate(n=Count("*"))
    counts = {name: {} for name in paths}
    for *values, n in rows:
        for name, value in zip(paths, values, strict=True):
            if value is not None:
                key = str(value)
                counts[name][key] = counts[name].get(key, 0) + n
    return counts


def add_counts(*counts):
    """{value: n} summed over several counts of disjoint rows."""
    total = {}
    for count in counts:
        for value, n in count.items():
            total[value] = total.get(value, 0) + n
    return total


def about(rows, path, queryset):
    """`rows` whose object at `path` is one of `queryset`'s. With no filter set, every
    row's is, and the database is spared a join over every row of `queryset`."""
    if not queryset.query.has_filters():
        return rows
    return rows.filter(**{f"{path}__in": queryset.values("pk")})


class FacetMixin:
    """`count(queryset) -> {url value: rows}`; by default grouped by the filter's field."""

    def __init__(self, *args, count=None, counts_by_pk=None, **kwargs):
        kwargs.setdefault("widget", MultipleValuesWidget)
        # django-filter's default SELECT DISTINCT over every column makes the database
        # compute each row's annotations before paging (issue 15); only a facet over a
        # to-many path can repeat rows, and it says `distinct=True`.
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)
        self._count = count
        # Counted by grouping on the filter's field (`count_path`): no `count` function
        # given and no `count()` of a subclass's own (VerdictFacet's). Only such facets
        # can be counted together (`counted_together`).
        self.counts_by_field = count is None and type(self).count is FacetMixin.count
        # A model facet's own count is by primary key (`count_path`); a `count` given
        # says whether it is too.
        is_model_facet = isinstance(self, ModelValuesFilter)
        self.counts_by_pk = (is_model_facet and count is None) if counts_by_pk is None else counts_by_pk
        if self.counts_by_pk and not is_model_facet:
            raise ImproperlyConfigured("Only a model facet's counts can be by primary key.")

    def count(self, queryset):
        if self._count is not None:
            return self._count(queryset)
        return grouped_count(self.count_path)(queryset)

    @property
    def count_path(self):
        """What the default count groups by: the filter's field. For a model facet that
        is the foreign key column, counted by primary key and named by the URL value
        afterwards (`FacetedFilterSet.named_counts`): no join to the other table, twice
        as fast over 30,000 rows (issue 15)."""
        return self.field_name


class ChoiceFacet(FacetMixin, django_filters.MultipleChoiceFilter):
    """Several choices, OR-ed; with `method`, the method gets the list of values."""


class ModelValuesFilter(django_filters.ModelMultipleChoiceFilter):
    """Several model instances (by `to_field_name` in the URL), OR-ed."""

    def get_filter_predicate(self, v):
        # django-filter compares the field with the instance's `to_field_name` value,
        # which only works when that is the field the relation points at.
        return {self.field_name: v}


class ModelChoiceFacet(FacetMixin, ModelValuesFilter):
    """Several model instances, OR-ed and counted."""


class MultipleValuesField(forms.MultipleChoiceField):
    """Values whose choices come from the data (years, months): any value of the right
    shape is valid; a value no row has simply matches nothing."""

    def __init__(self, *, pattern, describe, **kwargs):
        self.pattern = re.compile(pattern)
        self.describe = describe
        super().__init__(**kwargs)

    def valid_value(self, value):
        return bool(self.pattern.fullmatch(str(value)))

    def validate(self, value):
        for item in value:
            if not self.valid_value(item):
                raise ValidationError(f"“{item}” is not {self.describe}.", code="invalid_choice")


YEAR_PATTERN = r"\d{4}"
MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def year_field(**kwargs):
    return MultipleValuesField(
        pattern=YEAR_PATTERN, describe="a year such as 2017", widget=MultipleValuesWidget, required=False, **kwargs
    )


def month_field(**kwargs):
    return MultipleValuesField(
        pattern=MONTH_PATTERN, describe="a month such as 2017-11", widget=MultipleValuesWidget, required=False, **kwargs
    )


def month_label(value):
    """ "2017-11" -> "November 2017"."""
    year, month = value.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


class DateFacetFilter(django_filters.Filter):
    """Rows whose `field_name` date falls in one of the chosen years (`by="year"`) or
    months (`by="month"`, values like 2017-11); counted by one grouped query."""

    field_class = MultipleValuesField

    def __init__(self, *args, by, **kwargs):
        self.by = by
        kwargs.setdefault("widget", MultipleValuesWidget)
        kwargs["pattern"] = YEAR_PATTERN if by == "year" else MONTH_PATTERN
        kwargs["describe"] = "a year such as 2017" if by == "year" else "a month such as 2017-11"
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(date_in(self.field_name, value, self.by))

    def count(self, queryset):
        return count_by_date(queryset, self.field_name, self.by)


def date_label(value):
    """ "2017" stays; "2017-11" -> "November 2017"."""
    return month_label(value) if "-" in value else value


def date_in(path, values, by):
    """Q: the date at `path` falls in one of the years or months `values`."""
    condition = Q()
    for value in values:
        if by == "year":
            condition |= Q(**{f"{path}__year": int(value)})
        else:
            year, month = value.split("-")
            condition |= Q(**{f"{path}__year": int(year), f"{path}__month": int(month)})
    return condition


def count_by_day(queryset, path):
    """{date: rows} of the date at `path`, one grouped query. Grouping by the date
    itself reads it in index order; formatting every row's date as a year or month
    first cost PostgreSQL twice the time over 50,000 letters, and SQLite a Python call
    per row (issue 15). The few thousand days are added up by `dates_by`."""
    rows = queryset.order_by().values_list(path).annotate(n=counter(queryset, path, "pk"))
    return {day: n for day, n in rows if day is not None}


def dates_by(per_day, by):
    """{date(2017, 11, 15): 3, date(2017, 12, 1): 2} -> {"2017": 5} (`by="year"`) or
    {"2017-11": 3, "2017-12": 2} (`by="month"`). Right only where each row has one
    date: a date of the row itself or along to-one relations, as every date facet's."""
    counts = {}
    for day, n in per_day.items():
        key = f"{day.year:04d}" if by == "year" else f"{day.year:04d}-{day.month:02d}"
        counts[key] = counts.get(key, 0) + n
    return counts


def dates_from_days(cache, key, by, count_days):
    """Year or month counts (`by`) added up from one count per day, which `count_days()`
    makes once into `cache[key]`: a year and a month facet of the same date, neither
    chosen, count the same rows, so they share it (one query fewer, issue 15)."""
    if key not in cache:
        cache[key] = count_days()
    return dates_by(cache[key], by)


def count_by_date(queryset, path, by):
    """{"2017": n} or {"2017-11": n}: rows per year or month of `path`, one query."""
    return dates_by(count_by_day(queryset, path), by)


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Column sorting with rows that have no value (no date, no deadline) last in both
    directions, and the primary key as the tie-breaker so pages never overlap."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            name = self.get_ordering_value(param)
            descending = name.startswith("-")
            expression = F(name.lstrip("-"))
            ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int | None
    checked: bool
    id: str = ""  # its checkbox's HTML id, made once here rather than twice per option in the template


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    field: object = None  # the bound field, for its id and errors


def build_facet(bound_field, counts, chosen, labels):
    """The options to show: every value with rows under the other filters, plus the
    chosen ones (even at 0, so they can be unticked); all values when counts are
    unknown (an invalid form)."""
    options = []
    seen = set()
    for value, label in labels:
        value = str(value)
        if value in ("", None) or value in seen:
            continue
        seen.add(value)
        count = None if counts is None else counts.get(value, 0)
        checked = value in chosen
        if counts is None or count or checked:
            options.append(FacetOption(value, str(label), count, checked, f"{bound_field.auto_id}_{len(options)}"))
    return Facet(bound_field.name, bound_field.label, options, bound_field)


# What reads a list's stored facet counts: registered by the app that stores them
# (`use_stored_counts`), so that this module knows no app; None, every list counts.
_stored_counts_reader = None


def use_stored_counts(reader):
    """Have the lists read their facet counts with nothing chosen from `reader(name)`:
    {facet: counts} as stored for the list stored as `name`, or None when none are
    current (`dashboard.stored.list_facet_counts`, registered by dashboard's AppConfig).
    None: every list counts. Returns the reader it replaces."""
    global _stored_counts_reader
    replaced, _stored_counts_reader = _stored_counts_reader, reader
    return replaced


def stored_facet_counts(name):
    """{facet: counts} of the list stored as `name` with nothing chosen, and its number of
    rows (`ROWS_LISTED`), or None (no reader, or nothing current: the list then counts
    for itself)."""
    return _stored_counts_reader(name) if _stored_counts_reader and name else None


# Where a list's stored counts keep how many rows it shows with nothing chosen, beside
# {facet: counts}: a key that is no field's name, so never a facet's.
ROWS_LISTED = "rows listed"


class StoredCountsMixin:
    """A list's facet counts, each made once per page (`facet_counts`), with nothing
    chosen read as stored on write, for a FilterSet or a plain form: `stored_as` names
    them (None: counted on every request); `is_unfiltered()` says whether nothing is
    chosen; `count_afresh()` counts one facet otherwise; `read_stored_counts=False`
    counts anyway (what stores them must count, `counted_afresh`)."""

    stored_as = None

    def __init__(self, *args, read_stored_counts=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_stored_counts = read_stored_counts

    def is_unfiltered(self):
        raise NotImplementedError

    def count_afresh(self, name, counted):
        """Facet `name`'s counts under the other filters. `counted` is the page's memo
        ({facet: counts}): a count that serves several facets at once may fill it for
        the others too."""
        raise NotImplementedError

    def facet_counts(self, name):
        """The counts of facet `name`, made once per page: with nothing chosen, read from
        what is stored (`stored_counts`), else `count_afresh`."""
        counted = self.__dict__.setdefault("_facet_counts", {})
        if name not in counted:
            stored = self.stored_counts()
            counted[name] = stored[name] if stored is not None and name in stored else self.count_afresh(name, counted)
        return counted[name]

    def stored_row_count(self):
        """How many rows the list shows with nothing chosen, as stored with the counts
        (`ROWS_LISTED`); None when they are not read (something is chosen, or nothing is
        current): the paginator then counts."""
        stored = self.stored_counts()
        return None if stored is None else stored.get(ROWS_LISTED)

    def stored_counts(self):
        """{facet: counts} as stored for this list with nothing chosen, with its number of
        rows under `ROWS_LISTED` (a paged list's), or None (see `stored_facet_counts`),
        read once."""
        if "_stored_counts" not in self.__dict__:
            read = self.read_stored_counts and self.is_unfiltered()
            self._stored_counts = stored_facet_counts(self.stored_as) if read else None
        return self._stored_counts


class FacetedFilterSet(StoredCountsMixin, django_filters.FilterSet):
    """A FilterSet whose ChoiceFacet/ModelChoiceFacet/DateFacetFilter filters are
    shown as counted checkboxes (`facets()`), its form drawn by `LIST_FORM_RENDERER`."""

    def get_form_class(self):
        """django-filter's form class for this FilterSet (a class made on each call, from
        `Meta.form`), drawn by `LIST_FORM_RENDERER` unless that form names a renderer of
        its own: every subclass gets it without a `Meta.form` of its own."""
        form_class = super().get_form_class()
        if form_class.default_renderer is None:
            form_class.default_renderer = LIST_FORM_RENDERER
        return form_class

    def queryset_without(self, *names):
        """The rows every filter but `names` (and the sort) lets through."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        for other, value in self.form.cleaned_data.items():
            if other not in names and not isinstance(self.filters[other], django_filters.OrderingFilter):
                queryset = self.filters[other].filter(queryset, value)
        return queryset

    # Facets counted together: where none of them is chosen they all count the rows
    # every filter lets through, so one GROUP BY over their columns counts them all
    # (`count_together`). Only facets of a few values each, with their default count,
    # along to-one relations: the groups are then few (about 500 for a letter's state,
    # recipient kind, program and batch over 50,000 letters).
    counted_together = ()
    # {facet: (other facet, function)}: counts summed from the other's (a circuit's from
    # its states') while neither is chosen, since both then count the same rows.
    counted_from = {}
    # `stored_as`: the name under which this list's counts with nothing chosen are stored
    # on write (`StoredCountsMixin`, `use_stored_counts`). What stores them must count
    # them as the list does (`counted_afresh`, over `list_rows()`).

    @classmethod
    def list_rows(cls):
        """The rows the list shows before any filter: what its view lists and what its
        stored counts count (`counted_afresh`), said once for both."""
        raise ImproperlyConfigured(f"{cls.__name__} names no rows: give it a list_rows() classmethod.")

    @classmethod
    def counted_afresh(cls):
        """{facet: counts} of every facet with nothing chosen, counted over the list's
        rows (not read from the store), and how many rows it shows (`ROWS_LISTED`): what
        the store keeps."""
        filterset = cls(None, queryset=cls.list_rows(), read_stored_counts=False)
        counts = {name: filterset.facet_counts(name) for name in filterset.facet_names()}
        return {**counts, ROWS_LISTED: filterset.qs.count()}  # as its paginator would count them

    def is_unfiltered(self):
        """Is nothing chosen? A sort or a page is no choice; an invalid form is not
        unfiltered (its counts are not shown)."""
        if not self.is_bound:
            return True
        if not self.form.is_valid():
            return False
        filters = [name for name, f in self.filters.items() if not isinstance(f, django_filters.OrderingFilter)]
        return not chooses_any(self.data, filters)

    def count_afresh(self, name, counted):
        """Those of `counted_together` in one query (filling `counted` for the others),
        those of `counted_from` from another's, a year and a month facet of the same
        date, neither chosen, from one count per day (`dates_from_days`), else the
        facet's own count (`count_facet`)."""
        facet = self.filters[name]
        source, derive = self.counted_from.get(name, (None, None))
        if source and not (self.chosen(source) or self.chosen(name)):
            return derive(self.facet_counts(source))
        if together := self.counted_with(name):
            paths = {other: self.filters[other].count_path for other in together}
            for other, counts in count_together(self.queryset_without(), paths).items():
                counted[other] = self.named_counts(other, counts)
            return counted[name]
        if isinstance(facet, DateFacetFilter) and not self.date_chosen(facet.field_name):
            return dates_from_days(
                counted,
                ("days", facet.field_name),
                facet.by,
                lambda: count_by_day(self.queryset_without(name), facet.field_name),
            )
        return self.count_facet(name)

    def count_facet(self, name):
        """One facet's own count over the rows every other filter lets through, keyed
        by URL value: what `count_afresh` gives when no shared count serves it."""
        return self.named_counts(name, self.filters[name].count(self.queryset_without(name)))

    def counted_with(self, name):
        """The facets of `counted_together` counted in one query with `name`: those
        with nothing chosen, if `name` is one of them, there are two or more, and none
        can repeat a row (a chosen to-many filter makes the rows DISTINCT). Else []."""
        if name not in self.counted_together or self.chosen(name):
            return []
        for other in self.counted_together:
            if not getattr(self.filters[other], "counts_by_field", False):
                raise ImproperlyConfigured(f"{other} has its own count: it cannot be counted with others.")
        together = [other for other in self.counted_together if not self.chosen(other)]
        rows = self.queryset_without()
        if len(together) < 2 or any(repeats_rows(rows, self.filters[other].count_path) for other in together):
            return []
        return together

    def named_counts(self, name, counts):
        """A model facet's counts by primary key (`FacetMixin.count_path`) keyed by its
        URL value instead, from the choices its options list anyway: the form field's
        queryset, read once for both."""
        if not getattr(self.filters[name], "counts_by_pk", False):
            return counts
        form_field = self.form.fields[name]
        key = form_field.to_field_name or "pk"
        return {str(getattr(obj, key)): counts[str(obj.pk)] for obj in form_field.queryset if str(obj.pk) in counts}

    def chosen(self, name):
        """A filter's cleaned value; nothing on the unfiltered page (an unbound form) or
        before the form is cleaned."""
        return getattr(self.form, "cleaned_data", {}).get(name) if self.is_bound else None

    def date_chosen(self, path):
        """Is a value chosen in any date facet of the date at `path`?"""
        return any(
            self.chosen(name)
            for name, other in self.filters.items()
            if isinstance(other, DateFacetFilter) and other.field_name == path
        )

    def facet_names(self):
        return [name for name, f in self.filters.items() if hasattr(f, "count")]

    def facets(self):
        valid = not self.is_bound or self.form.is_valid()
        facets = {}
        for name in self.facet_names():
            facet_filter = self.filters[name]
            bound_field = self.form[name]
            chosen = {str(v) for v in (self.data.getlist(name) if hasattr(self.data, "getlist") else [])}
            counts = self.facet_counts(name) if valid else None
            labels = facet_labels(bound_field.field, counts, chosen, isinstance(facet_filter, DateFacetFilter))
            facets[name] = build_facet(bound_field, counts, chosen, labels)
        return facets


def facet_labels(form_field, counts, chosen, by_date):
    """(URL value, label) for each option of a facet: a date facet offers the years or
    months the rows have (and any chosen), newest first; any other its field's choices."""
    if by_date:
        values = sorted(set(counts or {}) | chosen, reverse=True)
        return [(value, date_label(value)) for value in values if form_field.valid_value(value)]
    return facet_choices(form_field)


def facet_choices(form_field):
    """(URL value, label) for a choice or model-choice field, without reading a
    queryset twice."""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        key = form_field.to_field_name or "pk"
        return [(str(getattr(obj, key)), form_field.label_from_instance(obj)) for obj in form_field.queryset]
    return list(form_field.choices)


class NamePicker(forms.SelectMultiple):
    """Pick a record by its name: a plain select, which the browser lets you type
    ahead in, with an "any" first choice. An address that names several (`?recipient=a
    &recipient=b`) shows them all selected in a multiple select.

    Only up to `max_options` records are listed. Beyond that a select is no longer a
    way to find a name (at national scale, 20,000 jurisdictions made 1.5 MB of options
    and seconds of rendering, issue 15): it then lists only the chosen records, so they
    can be cleared; a record's own page links to its filtered list (`help_text` says so).
    """

    def __init__(self, *args, any_label="Any", max_options=500, **kwargs):
        super().__init__(*args, **kwargs)
        self.any_label = any_label
        self.max_options = max_options

    def options_shown(self, value):
        """The choices to list: all of them if there are at most `max_options`, else
        only the chosen ones. One query either way (plus one for the chosen ones)."""
        if not isinstance(self.choices, ModelChoiceIterator):
            return self.choices
        iterator = self.choices
        # Records are read only when they will be listed: with a (max_options + 1)th
        # record the query returns none, rather than 501 jurisdictions built into
        # objects to be thrown away (3 ms a page at national scale, issue 15).
        beyond_limit = iterator.queryset.order_by()[self.max_options : self.max_options + 1]
        first = list(iterator.queryset.filter(~Exists(beyond_limit)))
        if not first:
            chosen = [item for item in value or [] if item]
            key = iterator.field.to_field_name or "pk"
            first = list(iterator.queryset.filter(**{f"{key}__in": chosen})) if chosen else []
        return [iterator.choice(obj) for obj in first]

    def optgroups(self, name, value, attrs=None):
        listed = copy.copy(self)
        listed.choices = self.options_shown(value)
        return forms.SelectMultiple.optgroups(listed, name, value, attrs)

    def value_from_datadict(self, data, files, name):
        return present_values(super().value_from_datadict(data, files, name))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [item for item in value or [] if item]
        if len(chosen) <= 1:
            context["widget"]["attrs"].pop("multiple", None)
            anything = self.create_option(name, "", self.any_label, not chosen, 0)
            context["widget"]["optgroups"].insert(0, (None, [anything], 0))
        return context


class YesNoFilter(django_filters.BooleanFilter):
    """Yes, no, or either: "either" sends nothing, so it stays out of the permalink
    (django-filter's default select sends `unknown`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")]))
        super().__init__(*args, **kwargs)
