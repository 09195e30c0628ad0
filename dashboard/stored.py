"""The home page's figures, stored on write: the only module that derives, stores, reads
and invalidates `dashboard.HomeFigures`.

Every figure is still defined once, by the rule or FilterSet it always came from
(`dashboard.selectors`, `programs.selectors.control_tally`, `Letter.objects.deadlines`);
this module only keeps their output in one row, so that a home page costs one indexed
read instead of 1-3 s of counting at national scale (issue 15).

Kept true on every write:
- any save, delete or M2M change of public data (the apps whose changes bump the page
  cache's data version, `revisions.signals.PUBLIC_APPS`) empties the row inside the
  writing transaction, so no reader ever sees figures that disagree with committed data
  (before the commit readers see the old, still true row; after it, no row);
- after the commit the figures are computed once and stored (further callbacks of the
  same transaction find the row full and stop);
- bulk work inside `compliance.stored.deferred()` (imports, load_seed) empties the row
  once, when the block ends (`compliance.stored.bulk_written`), as do
  `recompute_everything()` and `refresh_stale()` (`manage.py recompute_control`);
- figures that move with the calendar make the row expire at `valid_until`;
- a reader that finds the row empty or expired computes the figures and stores them,
  unless a write has come in between (the row's `generation` changed): then it shows
  what it computed without storing it.

Writes that send no signal (`QuerySet.update()`, raw SQL, `bulk_create` outside
`deferred()`) must call `invalidate()`, as they must bump the data version.
"""

import calendar
import datetime
import json
import logging

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.db.models import F, Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import json_script
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from compliance.filters import MatrixFilter
from compliance.models import StoredAnswer
from compliance.stored import bulk_written, deferring
from jurisdictions.control import ControlStatus
from jurisdictions.filters import JurisdictionFilter
from jurisdictions.models import JailControlPeriod
from letters.filters import LetterFilter, TimelineForm
from letters.models import Demand, Letter
from programs.models import Condition
from programs.selectors import control_tally
from revisions.signals import PUBLIC_APPS

from . import charts, selectors
from .models import HomeFigures

logger = logging.getLogger(__name__)
ROW = 1  # the one row
# Goes up when the shape of the stored figures changes: a row of another shape, stored by
# the previous release, then counts as empty. (Every `migrate`, so every deploy, empties
# the row as well: a release that counts a facet differently serves its own counts.)
SHAPE = 6
# The lists whose facet counts with nothing chosen are kept with the figures, by the name
# each reads them under (`FacetedFilterSet.stored_as`, `list_facet_counts`), each counted
# by its own FilterSet or form over the rows its page lists (a FilterSet's `list_rows()`,
# which its view reads too; the timeline form's own selector), with the number of those
# rows for a FilterSet's paged list (`listing.facets.ROWS_LISTED`).
LISTED_BY = (LetterFilter, MatrixFilter, JurisdictionFilter, TimelineForm)
LISTS = {listed.stored_as: listed.counted_afresh for listed in LISTED_BY}


# ----------------------------------------------------------------------- deriving


def compute():
    """Every figure of the home page except the latest events (an indexed read), as
    JSON-ready data; charts are built here once, not per request."""
    conditions = list(Condition.objects.all())
    tally = control_tally()
    jail_tallies = [tally.get(c.pk, {}) for c in conditions if c.depends_on_jail]
    targeted = selectors.targeted_jurisdictions()
    months = selectors.letters_by_month()
    state_status = charts.state_status(targeted)
    no_demands = {"total": 0, **dict.fromkeys(ControlStatus.values, 0)}
    return {
        "shape": SHAPE,
        "figures": [{"count": f.count, "text": f.text, "url": f.url} for f in selectors.headline_figures()],
        "jail_demands": sum(t.get("total", 0) for t in jail_tallies),
        "jail_demands_not_controlled": sum(t.get(ControlStatus.DOES_NOT_CONTROL, 0) for t in jail_tallies),
        "deadlines": Letter.objects.deadlines(),
        "months": [_month_row(month, program, letters) for month, program, letters in months],
        # Lists, not objects: PostgreSQL's jsonb does not keep the keys' order.
        "condition_tally": [({"code": c.code, "name": c.name}, tally.get(c.pk, no_demands)) for c in conditions],
        "state_status": [
            (state, status, {s: counts[s] for s in ControlStatus.values})
            for state, (status, counts) in state_status.items()
        ],
        # Each chart as the <script type="application/json"> element json_script makes of
        # it: escaping the map's 800 kB per request took 150 ms at national scale.
        "letters_chart": json_script(charts.letters_over_time(months), "chart-letters-data"),
        "control_chart": json_script(charts.demanded_vs_controlled(conditions, tally), "chart-control-data"),
        "map_chart": json_script(charts.control_map(targeted), "chart-map-data"),
    }


def compute_list_facets():
    """The lists' facet counts with nothing chosen (`LISTS`), with the row's shape: the
    most visited list pages then read them rather than count every letter or
    jurisdiction once per facet."""
    return {"shape": SHAPE, **{name: counted() for name, counted in LISTS.items()}}


def _month_row(month, program, letters):
    """A row of the letters-per-month table, with its link to the month's letters;
    formatted once here rather than by 3 date filters per row on every request."""
    last_day = calendar.monthrange(month.year, month.month)[1]
    period = {"sent_after": month.isoformat(), "sent_before": month.replace(day=last_day).isoformat()}
    return {
        "month": date_format(month, "F Y"),
        "program": program,
        "letters": letters,
        "url": f"{reverse('letters:list')}?{urlencode(period)}",
    }


def next_change(today):
    """The first day after `today` on which the calendar alone can change a figure: the
    day after the next deadline ("deadline passed", "upcoming"), the next start or end of
    a stored control period (the map's status today) or expiry of a stored answer
    (undated letters). Tomorrow when some answer is already expired or not stored (the
    rule then answers for today). None when nothing is due."""
    tomorrow = today + datetime.timedelta(days=1)
    if StoredAnswer.objects.stale(today).exists() or (
        Demand.objects.filter(letter__sent_on=None, letter__deadline=None, stored_answer__isnull=True).exists()
    ):
        return tomorrow
    deadline = Letter.objects.filter(deadline__gte=today).aggregate(day=Min("deadline"))["day"]
    days = [
        deadline and deadline + datetime.timedelta(days=1),
        JailControlPeriod.objects.filter(valid_from__gt=today).aggregate(day=Min("valid_from"))["day"],
        JailControlPeriod.objects.filter(valid_until__gt=today).aggregate(day=Min("valid_until"))["day"],
        StoredAnswer.objects.filter(valid_until__gt=today).aggregate(day=Min("valid_until"))["day"],
    ]
    days = [day for day in days if day is not None]
    return min(days) if days else None


def as_json(figures):
    """What the row holds, so that a computed and a stored read give the same values."""
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))


# ------------------------------------------------------------------------- storing


def _is_current(row, today):
    figures = row["figures"]
    return (
        figures is not None
        and figures.get("shape") == SHAPE
        and (row["valid_until"] is None or row["valid_until"] > today)
    )


def _read():
    return HomeFigures.objects.filter(pk=ROW).values("generation", "figures", "valid_until").first()


def _store(generation, figures, list_facets, valid_until):
    """Store what a reader computed, unless a write came after it started (the row's
    generation moved) or is under way (its lock is held: skip rather than wait)."""
    values = {"figures": figures, "list_facets": list_facets, "valid_until": valid_until, "computed_at": timezone.now()}
    try:
        with transaction.atomic():
            if generation is None:  # no row yet: a writer creates it with generation 1
                HomeFigures.objects.get_or_create(pk=ROW, defaults={"generation": 0, **values})
                return
            unchanged = HomeFigures.objects.select_for_update(skip_locked=True).filter(pk=ROW, generation=generation)
            if unchanged.values_list("pk", flat=True).first() is not None:
                unchanged.update(**values)
    except DatabaseError:  # the page still has its figures; the next reader tries again
        logger.warning("could not store the home page figures", exc_info=True)


def current(today=None):
    """The stored figures (one indexed read), computed and stored first when the row is
    empty or expired."""
    today = today or timezone.localdate()
    row = _read()
    if row is not None and _is_current(row, today):
        return row["figures"]
    figures = as_json(compute())
    _store(row and row["generation"], figures, as_json(compute_list_facets()), next_change(today))
    return figures


def _stored_row(today):
    """The row, if it holds this release's figures for `today`. Asked of the small
    `list_facets` column, which is stored and emptied with the figures (`_store`,
    `empty`): a key of the figures' 800 kB of JSON reads all of it on PostgreSQL."""
    return HomeFigures.objects.filter(pk=ROW, list_facets__shape=SHAPE).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=today)
    )


def refresh():
    """Compute and store the figures if the row is empty or expired (after a commit, for
    recovery, and daily: `manage.py refresh_home_figures`); True when it computed them.
    Every write of a transaction registers it: the first stores the figures, the others
    find them stored with one small query (not the 800 kB row)."""
    today = timezone.localdate()
    if _stored_row(today).exists():
        return False
    current(today)
    return True


def empty():
    """Empty the row (the next reader, write or daily refresh computes it again); True
    when there was a row."""
    emptied = HomeFigures.objects.filter(pk=ROW).update(
        generation=F("generation") + 1, figures=None, list_facets=None, valid_until=None
    )
    return bool(emptied)


def invalidate():
    """Empty the row, in the caller's transaction, and compute it again after the commit."""
    emptied = empty()
    if not emptied:
        HomeFigures.objects.get_or_create(pk=ROW, defaults={"generation": 1})
    transaction.on_commit(refresh, robust=True)


# ------------------------------------------------------------------------- reading


def _day(value):
    return value and datetime.date.fromisoformat(value)


def home_context(today=None):
    """The home page's template context, minus the latest events."""
    figures = current(today)
    deadlines = figures["deadlines"]
    next_deadline, last_deadline = (_day(deadlines[name]) for name in ("next_deadline", "last_deadline"))
    return {
        "figures": figures["figures"],
        "jail_demands": figures["jail_demands"],
        "jail_demands_not_controlled": figures["jail_demands_not_controlled"],
        "deadlines": {**deadlines, "next_deadline": next_deadline, "last_deadline": last_deadline},
        "months": figures["months"],
        "condition_tally": [tuple(pair) for pair in figures["condition_tally"]],
        "state_status": {state: (status, counts) for state, status, counts in figures["state_status"]},
        # Made by json_script when the figures were computed; only this module writes them.
        **{name: mark_safe(figures[name]) for name in ("letters_chart", "control_chart", "map_chart")},
    }


def list_facet_counts(name, today=None):
    """A list's facet counts with nothing chosen (`LISTS`), as stored: one read of that
    part of the row. None when the row is empty, expired or of another shape, or cannot
    be read: the list then counts them itself, since computing every figure would cost
    its reader seconds (after a write, the writer's request stores them again)."""
    rows = _stored_row(today or timezone.localdate())
    try:
        return rows.values_list(f"list_facets__{name}", flat=True).first()
    except DatabaseError:  # pages run in autocommit (no ATOMIC_REQUESTS): the list can count
        logger.warning("could not read the stored facet counts", exc_info=True)
        return None


# ---------------------------------------------------------------------- receivers


def _feeds_the_figures(model):
    return (
        model._meta.app_label in PUBLIC_APPS
        and not getattr(model, "is_derived_cache", False)
        and not model.__name__.startswith("Historical")
    )


def _written(sender, **kwargs):
    if deferring():  # bulk work: emptied once, on bulk_written
        return
    action = kwargs.get("action")
    if action is None or action in ("post_add", "post_remove", "post_clear"):
        invalidate()


def _m2m_changed(sender, **kwargs):
    if _feeds_the_figures(sender):  # sender: the through model
        _written(sender, **kwargs)


def _bulk_written(sender, **kwargs):
    invalidate()


def _migrated(sender, **kwargs):
    """Every deploy runs `migrate` (bin/start-web): what the previous release stored was
    counted by its code, which may have counted differently (a facet's count function,
    a list's rows), so it is emptied rather than trusted until the next write."""
    empty()


def connect():
    # Per model, never for every sender: a post_delete receiver stops Django from deleting
    # a model's rows in one query (the stored tables delete thousands at once).
    for model in apps.get_models():
        if _feeds_the_figures(model):
            uid = f"home-figures-{model._meta.label}"
            post_save.connect(_written, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_written, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="home-figures-m2m")
    bulk_written.connect(_bulk_written, dispatch_uid="home-figures-bulk")
    post_migrate.connect(_migrated, sender=apps.get_app_config("dashboard"), dispatch_uid="home-figures-migrated")
