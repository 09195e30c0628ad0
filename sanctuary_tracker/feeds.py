from django.urls import path

from jurisdictions.feeds import JurisdictionFeed
from letters.feeds import EventsFeed, LatestLettersFeed

app_name = "feeds"
urlpatterns = [
    path("letters/", LatestLettersFeed(), name="letters"),
    path("events/", EventsFeed(), name="events"),
    path("jurisdictions/<slug:slug>/", JurisdictionFeed(), name="jurisdiction"),
]
