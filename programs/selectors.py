"""Cross-model reads for program and condition pages."""

from django.db.models import Count, Q

from jurisdictions.models import ControlStatus
from letters.models import Demand


def control_tally(*, condition=None):
    """Per condition: demands made, and how many went to recipients that control,
    share or do not control compliance; one grouped query."""
    demands = Demand.objects.with_control()
    if condition is not None:
        demands = demands.filter(condition=condition)
    counts = {status: Count("pk", filter=Q(control=status)) for status in ControlStatus.values}
    rows = demands.values("condition").annotate(total=Count("pk"), **counts).order_by("condition")
    return {row.pop("condition"): row for row in rows}
