"""What the Atom feeds share."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .links import absolute_url

FEED_SIZE = 50


def as_datetime(day):
    """Feeds need a moment; the data has days. Noon keeps the day in every time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))) if day else None


class SiteFeed(Feed):
    """An Atom feed whose links all start with SITE_ORIGIN.

    Django's Feed prefixes relative links with the request's host (RequestSite) but
    leaves absolute ones alone (`add_domain`), so the feed's link and every item link
    are made absolute here, and the feed's own URL is replaced after the fact.
    Subclasses give `site_path` (the feed's page) as a path.
    """

    feed_type = Atom1Feed

    def site_path(self, obj):
        raise NotImplementedError

    def link(self, obj):
        return absolute_url(self.site_path(obj))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = absolute_url(request.path)
        return feed
