"""What changed on a followed jurisdiction or condition between two moments, read from the
change history (django-simple-history): new letters, responses, events and court rulings,
and corrected facts. Each change links to its page by absolute URL (SITE_ORIGIN)."""

from dataclasses import dataclass

from courts.models import CourtDecision
from jurisdictions.models import Booking, Jurisdiction
from laws.models import LegalMeasure
from letters.models import Event, Letter, Response
from listing.links import absolute_url
from programs.models import Condition

ACTIONS = {"+": "added", "~": "corrected", "-": "removed"}


@dataclass(frozen=True)
class Change:
    when: object
    text: str
    url: str


def _window(history, since, until):
    return history.filter(history_date__gt=since, history_date__lte=until)


def changes(followed, *, since, until):
    """The changes to report about `followed` in (since, until], oldest first."""
    if isinstance(followed, Jurisdiction):
        found = _jurisdiction_changes(followed, since, until)
    elif isinstance(followed, Condition):
        found = _condition_changes(followed, since, until)
    else:
        raise TypeError(f"{followed!r} cannot be followed")
    return sorted(found, key=lambda change: change.when)


def _letter_change(letter, when, prefix="New letter"):
    return Change(when, f"{prefix}: {letter.program.short_name} letter to {letter.recipient.name}",
                  absolute_url(letter.get_absolute_url()))  # fmt: skip


def _new_records(model, queryset, since, until, describe):
    created = dict(_window(model.history.filter(history_type="+"), since, until).values_list("id", "history_date"))
    if not created:
        return []
    return [describe(record, created[record.pk]) for record in queryset.filter(pk__in=created)]


def _jurisdiction_changes(jurisdiction, since, until):
    found = _new_records(
        Letter, Letter.objects.filter(recipient=jurisdiction).select_related("program", "recipient"), since, until,
        _letter_change,
    )  # fmt: skip
    found += _new_records(
        Response,
        Response.objects.filter(letter__recipient=jurisdiction).select_related("letter"),
        since,
        until,
        lambda response, when: Change(
            when, f"New response from {response.responder}", absolute_url(response.get_absolute_url())
        ),  # fmt: skip
    )
    found += _events_and_rulings(
        Event.objects.involving(jurisdiction), CourtDecision.objects.filter(covered_jurisdictions=jurisdiction),
        since, until,
    )  # fmt: skip
    found += _new_records(
        LegalMeasure, LegalMeasure.objects.filter(jurisdiction=jurisdiction), since, until,
        lambda measure, when: Change(when, f"Law or policy recorded: {measure.name}",
                                     absolute_url(measure.get_absolute_url())),  # fmt: skip
    )  # fmt: skip
    page = absolute_url(jurisdiction.get_absolute_url())
    for record in _window(jurisdiction.history.filter(history_type="~"), since, until):
        found.append(Change(record.history_date, f"{jurisdiction.name}'s record was corrected", page))
    bookings = _window(Booking.history.filter(jurisdiction_id=jurisdiction.pk), since, until)
    for record in bookings.values("history_type", "history_date"):
        action = ACTIONS.get(record["history_type"], "changed")
        found.append(Change(record["history_date"], f"Where its arrestees are held: a booking was {action}", page))
    return found


def _condition_changes(condition, since, until):
    found = _new_records(
        Letter, Letter.objects.filter(demands__condition=condition).select_related("program", "recipient"),
        since, until, lambda letter, when: _letter_change(letter, when, prefix="New letter demanding it"),
    )  # fmt: skip
    found += _events_and_rulings(
        Event.objects.filter(conditions=condition), CourtDecision.objects.filter(conditions=condition), since, until
    )
    found += _new_records(
        LegalMeasure, LegalMeasure.objects.filter(conditions=condition).select_related("jurisdiction"), since, until,
        lambda measure, when: Change(when, f"Law or policy bearing on it: {measure.name}",
                                     absolute_url(measure.get_absolute_url())),  # fmt: skip
    )  # fmt: skip
    page = absolute_url(condition.get_absolute_url())
    for record in _window(condition.history.filter(history_type="~"), since, until):
        found.append(Change(record.history_date, f"The description of {condition.name} was corrected", page))
    return found


def _events_and_rulings(events, decisions, since, until):
    found = _new_records(
        Event, events.distinct(), since, until,
        lambda event, when: Change(when, f"{event.get_kind_display()}: {event.title}",
                                   absolute_url(event.get_absolute_url())),  # fmt: skip
    )  # fmt: skip
    found += _new_records(
        CourtDecision,
        decisions.distinct(),
        since,
        until,
        lambda decision, when: Change(when, f"Court ruling: {decision}", absolute_url(decision.get_absolute_url())),
    )
    return found
