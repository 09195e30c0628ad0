from django.shortcuts import get_object_or_404

from letters.models import Event, Letter
from listing.feeds import FEED_SIZE, SiteFeed, as_datetime

from .models import Jurisdiction


class JurisdictionFeed(SiteFeed):
    """Letters to one jurisdiction and events that name it, newest first."""

    def get_object(self, request, slug):
        return get_object_or_404(Jurisdiction, slug=slug)

    def title(self, jurisdiction):
        return f"Sanctuary Tracker: {jurisdiction.name}, {jurisdiction.state}"

    def site_path(self, jurisdiction):
        return jurisdiction.get_absolute_url()

    def items(self, jurisdiction):
        # The newest FEED_SIZE of each kind are enough to pick the newest FEED_SIZE overall.
        letters = Letter.objects.filter(recipient=jurisdiction).select_related("program", "recipient")[:FEED_SIZE]
        events = Event.objects.filter(jurisdictions=jurisdiction).order_by("-occurred_on", "-pk")[:FEED_SIZE]
        entries = [(letter.sent_on, letter) for letter in letters] + [(e.occurred_on, e) for e in events]
        entries.sort(key=lambda pair: (pair[0] is not None, pair[0]), reverse=True)
        return [item for _, item in entries[:FEED_SIZE]]

    def item_title(self, item):
        if isinstance(item, Letter):
            return f"{item.program.short_name} letter to {item.recipient.name}"
        return item.title

    def item_description(self, item):
        return item.addressee if isinstance(item, Letter) else item.summary

    def item_pubdate(self, item):
        return as_datetime(item.sent_on if isinstance(item, Letter) else item.occurred_on)
