"""Aggregate reads for the home page: each figure is one SQL query, not Python arithmetic."""

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jurisdictions.control import ControlStatus
from jurisdictions.models import Jurisdiction
from letters.models import Demand, Event, Letter


def headline_figures(*, today=None):
    """Each figure counts the list it links to, through the same QuerySet method."""
    today = today or timezone.localdate()
    query = Letter.objects.with_status(today)
    letters = query.aggregate(
        letters=Count("pk"),
        jurisdictions=Count("recipient", distinct=True),
        deadlines_upcoming=Count("pk", filter=query.UPCOMING),
        deadlines_passed=Count("pk", filter=query.DEADLINE_PASSED),
        responded=Count("pk", filter=query.RESPONDED),
    )
    jail_demands = Demand.objects.with_control().jail_conditions()
    by_control = dict(jail_demands.values_list("control").annotate(n=Count("pk")).order_by())
    demands = {
        "jail_demands": sum(by_control.values()),
        "jail_demands_not_controlled": by_control.get(ControlStatus.DOES_NOT_CONTROL, 0),
    }
    return {**letters, **demands, "today": today}


def latest_events(*, limit=5):
    return Event.objects.order_by("-occurred_on", "-pk").prefetch_related("sources", "jurisdictions")[:limit]


def letters_by_month():
    """(month, program short name, letters) rows, oldest first; undated letters are left out."""
    return list(
        Letter.objects.exclude(sent_on=None)
        .annotate(month=TruncMonth("sent_on"))
        .values_list("month", "program__short_name")
        .annotate(letters=Count("pk"))
        .order_by("month", "program__short_name")
    )


def targeted_jurisdictions():
    """Every letter recipient with how far it runs the jails holding its arrestees."""
    return list(
        Jurisdiction.objects.targeted()
        .with_jail_control()
        .values("name", "slug", "state", "jail_control")
        .order_by("state", "name")
    )
