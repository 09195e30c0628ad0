"""What the Atom feeds share."""

import datetime

from django.utils import timezone

FEED_SIZE = 50


def as_datetime(day):
    """Feeds need a moment; the data has days. Noon keeps the day in every time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))) if day else None
