"""Cross-model reads for program and condition pages."""

from django.db.models import Count

from jurisdictions.control import ControlStatus
from letters.models import Demand


def control_tally(*, condition=None):
    """Per condition: demands made, and how many went to recipients that control,
    share or do not control compliance.

    One query grouped by (condition, control): the control rule runs once per demand.
    (Separate filtered Counts would run it once per status, four times as often.)
    """
    demands = Demand.objects.with_control()
    if condition is not None:
        demands = demands.filter(condition=condition)
    rows = demands.values_list("condition", "control").annotate(n=Count("pk")).order_by()
    tally = {}
    for condition_id, control, n in rows:
        counts = tally.setdefault(condition_id, {"total": 0, **dict.fromkeys(ControlStatus.values, 0)})
        counts[control] += n
        counts["total"] += n
    return tally
