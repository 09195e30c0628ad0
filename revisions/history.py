"""The public side of django-simple-history: last updated date and a short change log.
Editors' names stay private; the admin shows them."""

from dataclasses import dataclass, field

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    date: object
    action: str
    fields: list = field(default_factory=list)


def change_log(obj, *, limit=5):
    """The latest `limit` changes to `obj`, newest first, with the fields each changed (one query)."""
    records = list(obj.history.all()[: limit + 1])
    changes = []
    for index, newer in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        fields = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            fields = [str(obj._meta.get_field(name).verbose_name) for name in delta.changed_fields]
        changes.append(Change(newer.history_date, ACTIONS.get(newer.history_type, newer.history_type), fields))
    return changes
