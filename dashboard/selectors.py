"""Aggregate reads for the home page: each figure is one SQL query, not Python arithmetic."""

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jurisdictions.models import ControlStatus, Jurisdiction
from letters.models import Demand, Event, Letter
from programs.models import Condition


def headline_figures(*, today=None):
    today = today or timezone.localdate()
    letters = Letter.objects.aggregate(
        letters=Count("pk"),
        jurisdictions=Count("recipient", distinct=True),
        deadlines_upcoming=Count("pk", filter=Q(deadline__gte=today)),
        deadlines_passed=Count("pk", filter=Q(deadline__lt=today)),
    )
    jail_demands = Demand.objects.with_control().filter(condition__control_locus=Condition.ControlLocus.JAIL_OPERATOR)
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
        Jurisdiction.objects.filter(Exists(Letter.objects.filter(recipient=OuterRef("pk"))))
        .with_jail_control()
        .values("name", "slug", "state", "jail_control")
        .order_by("state", "name")
    )
