from django.urls import reverse

from listing.feeds import FEED_SIZE, SiteFeed, as_datetime

from .models import Event, Letter


class LatestLettersFeed(SiteFeed):
    title = "Sanctuary Tracker: new DOJ letters"
    subtitle = "DOJ letters demanding immigration conditions, newest first."

    def site_path(self, obj):
        return reverse("letters:list")

    def items(self):
        return Letter.objects.select_related("program", "recipient").order_by("-pk")[:FEED_SIZE]

    def item_title(self, letter):
        return f"{letter.program.short_name} letter to {letter.recipient.name}, {letter.recipient.state}"

    def item_description(self, letter):
        due = f"Response due {letter.deadline:%B %-d, %Y}." if letter.deadline else "Deadline unknown."
        return f"Addressed to {letter.addressee}. {due}"

    def item_pubdate(self, letter):
        return as_datetime(letter.sent_on)


class EventsFeed(SiteFeed):
    title = "Sanctuary Tracker: events"
    subtitle = "Court rulings, policy changes, responses and announcements."

    def site_path(self, obj):
        return reverse("letters:timeline")

    def items(self):
        return Event.objects.order_by("-occurred_on", "-pk")[:FEED_SIZE]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        return event.summary

    def item_pubdate(self, event):
        return as_datetime(event.occurred_on)
